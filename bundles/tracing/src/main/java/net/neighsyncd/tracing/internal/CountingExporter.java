package net.neighsyncd.tracing.internal;

import java.util.Collection;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP exporter, counted: spans accepted, spans and requests failed. The first failure after
 * a success is logged at warn with its cause, the recovery at info; the failures between at debug.
 */
final class CountingExporter implements SpanExporter {
    private static final Logger LOG = LoggerFactory.getLogger(CountingExporter.class);

    private final SpanExporter delegate;
    private final ExportCounts counts;
    private final String endpoint;
    private volatile boolean failing;

    CountingExporter(SpanExporter delegate, ExportCounts counts, String endpoint) {
        this.delegate = delegate;
        this.counts = counts;
        this.endpoint = endpoint;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        int n = spans.size();
        CompletableResultCode result;
        try {
            result = delegate.export(spans);
        } catch (RuntimeException e) {
            failed(n, e);
            return CompletableResultCode.ofExceptionalFailure(e);
        }
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                counts.spansExported.add(n);
                if (failing) {
                    failing = false;
                    LOG.info("span export to {} works again", endpoint);
                }
            } else {
                failed(n, result.getFailureThrowable());
            }
        });
        return result;
    }

    private void failed(int spans, Throwable cause) {
        counts.spansFailed.add(spans);
        counts.exportsFailed.increment();
        String why = cause == null ? "no answer in time or refused" : cause.toString();
        if (!failing) {
            failing = true;
            LOG.warn("span export to {} failed, {} spans lost: {} (until it works again, failures at debug)",
                    endpoint, spans, why);
        } else {
            LOG.debug("span export to {} failed again, {} spans lost: {}", endpoint, spans, why);
        }
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }
}
