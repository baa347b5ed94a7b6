package net.neighsyncd.tracing.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which batches get a span per change: by count, so that exactly a share {@code ratio} of them
 * do, evenly spread (0.25: every fourth batch), the same way every run. Thread-safe: every sink's
 * writer asks.
 */
final class NeighborSampling {
    private final double ratio;
    private final AtomicLong batches = new AtomicLong();

    NeighborSampling(double ratio) {
        this.ratio = ratio;
    }

    /** Whether the next batch is sampled: the n-th is when {@code floor(n * ratio)} steps up. */
    boolean next() {
        if (ratio <= 0) {
            return false;
        }
        if (ratio >= 1) {
            return true;
        }
        long n = batches.incrementAndGet();
        return (long) Math.floor(n * ratio) > (long) Math.floor((n - 1) * ratio);
    }
}
