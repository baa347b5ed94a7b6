package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.neighbor.NeighborChange;

/**
 * A fake sink that takes as long per call as it is told — a fixed part plus a part per change —
 * and records the size of each call: a Redis that turns slow on cue, which the real one cannot be
 * made to do from a test. Built with a fake clock, it advances that clock by the time instead
 * (a writer reading the same clock then measures exactly that round trip, whatever the machine's
 * load); without one, the time is spent for real (parked).
 */
final class FakeSlowSink implements NeighborSink {
    volatile long fixedNanos;
    volatile long perChangeNanos;
    private final List<Integer> sizes = new ArrayList<>();
    /** Released once per change applied. */
    final Semaphore applied = new Semaphore(0);

    private final java.util.concurrent.atomic.AtomicLong clock;

    FakeSlowSink(long fixedNanos, long perChangeNanos) {
        this(fixedNanos, perChangeNanos, null);
    }

    /** {@code clock}: the fake clock (nanoseconds) each call advances; null: spend the time for real. */
    FakeSlowSink(long fixedNanos, long perChangeNanos, java.util.concurrent.atomic.AtomicLong clock) {
        this.fixedNanos = fixedNanos;
        this.perChangeNanos = perChangeNanos;
        this.clock = clock;
    }

    @Override
    public void apply(List<NeighborChange> changes) {
        if (clock != null) {
            clock.addAndGet(fixedNanos + perChangeNanos * changes.size());
            record(changes);
            return;
        }
        long until = System.nanoTime() + fixedNanos + perChangeNanos * changes.size();
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        record(changes);
    }

    private void record(List<NeighborChange> changes) {
        synchronized (this) {
            sizes.add(changes.size());
        }
        applied.release(changes.size());
    }

    /** The sizes of the calls so far, in order. */
    synchronized List<Integer> sizes() {
        return List.copyOf(sizes);
    }
}
