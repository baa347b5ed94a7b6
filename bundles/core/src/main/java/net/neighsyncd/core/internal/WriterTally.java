package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import net.neighsyncd.api.engine.LatencyHistogram;
import net.neighsyncd.api.engine.WriteTuning;
import net.neighsyncd.api.engine.WriterStats;

/** One sink writer's monotonic counters, safe to bump from any thread; {@link #snapshot} is the API's typed view. */
final class WriterTally {
    /** Upper bounds of the latency buckets, in milliseconds. */
    static final long[] LATENCY_BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};

    final LongAdder writtenSet = new LongAdder();
    final LongAdder writtenDelete = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder stateReads = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder batchChanges = new LongAdder();
    final LongAdder applyMicros = new LongAdder();
    private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BOUNDS_MS.length];
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencySumMicros = new LongAdder();
    private final LongAdder tunedUp = new LongAdder();
    private final LongAdder tunedDown = new LongAdder();
    /** The tuning in force, replaced whole by the writer thread. */
    private volatile WriteTuning tuning = WriteTuning.UNKNOWN;

    WriterTally() {
        for (int i = 0; i < latencyBuckets.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
    }

    /** One end-to-end latency sample: every bucket it fits in (cumulative, as Prometheus wants them), the sum and the count. */
    void latency(long nanos) {
        long micros = Math.max(0, nanos / 1_000);
        for (int i = 0; i < LATENCY_BOUNDS_MS.length; i++) {
            if (micros <= LATENCY_BOUNDS_MS[i] * 1_000) {
                latencyBuckets[i].increment();
            }
        }
        latencySumMicros.add(micros);
        latencyCount.increment();
    }

    /** The AutoTuner decided the next call: at most {@code batchLimit} changes after {@code lingerNanos}. */
    void tuned(int batchLimit, long lingerNanos, BatchTuner.Adjustment adjustment) {
        if (adjustment == BatchTuner.Adjustment.UP) {
            tunedUp.increment();
        } else if (adjustment == BatchTuner.Adjustment.DOWN) {
            tunedDown.increment();
        }
        long lingerMicros = lingerNanos / 1_000;
        WriteTuning now = tuning;
        if (!now.enabled() || now.batchLimit() != batchLimit || now.lingerMicros() != lingerMicros) {
            tuning = new WriteTuning(true, batchLimit, lingerMicros, 0, 0);
        }
    }

    /** The AutoTuner is off: {@code maxBatch} changes per call, no linger. */
    void fixed(int maxBatch) {
        WriteTuning now = tuning;
        if (now.enabled() || now.batchLimit() != maxBatch || now.lingerMicros() != 0) {
            tuning = new WriteTuning(false, maxBatch, 0, 0, 0);
        }
    }

    /** The tuning in force (its adjustment counts are in {@link #snapshot}). */
    WriteTuning tuning() {
        return tuning;
    }

    WriterStats snapshot() {
        List<Long> bounds = new ArrayList<>();
        List<Long> cumulative = new ArrayList<>();
        for (int i = 0; i < LATENCY_BOUNDS_MS.length; i++) {
            bounds.add(LATENCY_BOUNDS_MS[i]);
            cumulative.add(latencyBuckets[i].sum());
        }
        return new WriterStats(writtenSet.sum(), writtenDelete.sum(), errors.sum(), stateReads.sum(), batches.sum(),
                batchChanges.sum(), applyMicros.sum(),
                new LatencyHistogram(bounds, cumulative, latencyCount.sum(), latencySumMicros.sum()),
                new WriteTuning(tuning.enabled(), tuning.batchLimit(), tuning.lingerMicros(), tunedUp.sum(),
                        tunedDown.sum()));
    }
}
