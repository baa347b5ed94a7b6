package net.neighsyncd.tracing.internal;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.tracing.TracedChange;
import net.neighsyncd.api.tracing.WrittenBatch;

/**
 * Turns a {@link WrittenBatch} into spans: {@value #BATCH} from the kernel read of its oldest change
 * (the batch's take when none came from the kernel) to the sink's answer; its child
 * {@value #APPLY}, the sink call; and, for a sampled batch, a child {@value #NEIGHBOR} per change
 * from its own read. {@code System.nanoTime()} values become epoch times through one anchor.
 */
final class BatchSpans {
    static final String BATCH = "neighsyncd.batch";
    static final String APPLY = "neighsyncd.sink.apply";
    static final String NEIGHBOR = "neighsyncd.neighbor";
    static final AttributeKey<String> SINK = AttributeKey.stringKey("neighsyncd.sink");
    static final AttributeKey<Long> CHANGES = AttributeKey.longKey("neighsyncd.changes");
    static final AttributeKey<Long> SETS = AttributeKey.longKey("neighsyncd.sets");
    static final AttributeKey<Long> DELETES = AttributeKey.longKey("neighsyncd.deletes");
    static final AttributeKey<Boolean> SAMPLED = AttributeKey.booleanKey("neighsyncd.neighbors.sampled");
    static final AttributeKey<String> KEY = AttributeKey.stringKey("neighsyncd.neighbor.key");
    static final AttributeKey<String> OP = AttributeKey.stringKey("neighsyncd.neighbor.op");

    /** A {@code System.nanoTime()} and the epoch time in nanoseconds taken together. */
    record Anchor(long nanoTime, long epochNanos) {
        static Anchor now() {
            long nano = System.nanoTime();
            java.time.Instant now = java.time.Instant.now();
            return new Anchor(nano, now.getEpochSecond() * 1_000_000_000L + now.getNano());
        }

        long epochNanos(long nanoTime) {
            return epochNanos + (nanoTime - this.nanoTime);
        }
    }

    private final Tracer tracer;
    private final Anchor anchor;
    private final NeighborSampling sampling;

    BatchSpans(Tracer tracer, Anchor anchor, NeighborSampling sampling) {
        this.tracer = tracer;
        this.anchor = anchor;
        this.sampling = sampling;
    }

    void record(WrittenBatch b) {
        long start = b.takenNanos();
        long sets = 0;
        long oldestRead = 0;
        for (TracedChange c : b.changes()) {
            if (c.change().op() == NeighborChange.Op.SET) {
                sets++;
            }
            long read = c.readNanos();
            if (read != 0 && (oldestRead == 0 || read - oldestRead < 0)) {
                oldestRead = read;
            }
        }
        if (oldestRead != 0) {
            start = oldestRead;
        }
        boolean sampled = sampling.next();
        long end = anchor.epochNanos(b.endedNanos());
        Span batch = tracer.spanBuilder(BATCH).setNoParent().setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(anchor.epochNanos(start), NANOSECONDS)
                .setAttribute(SINK, b.sink())
                .setAttribute(CHANGES, (long) b.changes().size())
                .setAttribute(SETS, sets)
                .setAttribute(DELETES, b.changes().size() - sets)
                .setAttribute(SAMPLED, sampled)
                .startSpan();
        Context parent = Context.root().with(batch);
        Span apply = tracer.spanBuilder(APPLY).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(anchor.epochNanos(b.startedNanos()), NANOSECONDS)
                .setAttribute(SINK, b.sink())
                .startSpan();
        if (!b.succeeded()) {
            apply.setStatus(StatusCode.ERROR, b.failure());
            batch.setStatus(StatusCode.ERROR, b.failure());
        }
        apply.end(end, NANOSECONDS);
        if (sampled) {
            for (TracedChange c : b.changes()) {
                tracer.spanBuilder(NEIGHBOR).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                        .setStartTimestamp(anchor.epochNanos(c.readNanos() != 0 ? c.readNanos() : start), NANOSECONDS)
                        .setAttribute(KEY, c.change().key().toString())
                        .setAttribute(OP, c.change().op() == NeighborChange.Op.SET ? "SET" : "DEL")
                        .startSpan()
                        .end(end, NANOSECONDS);
            }
        }
        batch.end(end, NANOSECONDS);
    }
}
