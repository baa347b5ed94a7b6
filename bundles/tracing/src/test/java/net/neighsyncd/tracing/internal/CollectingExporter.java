package net.neighsyncd.tracing.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * An in-memory span exporter for the pipeline's tests (the SDK's testing module is not used): it
 * keeps what it is given, and can be told to hold every export ({@link #gate}) or fail them
 * ({@link #fail}) — an endpoint's faults on cue; the real OTLP exporter is tested in itests against
 * a real receiver.
 */
final class CollectingExporter implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile boolean fail;

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableResultCode.ofFailure();
        }
        if (fail) {
            return CompletableResultCode.ofFailure();
        }
        spans.addAll(batch);
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        gate.countDown();
        return CompletableResultCode.ofSuccess();
    }

    /** The spans named {@code name}. */
    List<SpanData> named(String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).toList();
    }
}
