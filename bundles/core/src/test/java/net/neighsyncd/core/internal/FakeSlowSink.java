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
 * made to do from a test. The time is spent for real (parked), so the writer measures it with its
 * own clock as it would a round trip.
 */
final class FakeSlowSink implements NeighborSink {
    volatile long fixedNanos;
    volatile long perChangeNanos;
    private final List<Integer> sizes = new ArrayList<>();
    /** Released once per change applied. */
    final Semaphore applied = new Semaphore(0);

    FakeSlowSink(long fixedNanos, long perChangeNanos) {
        this.fixedNanos = fixedNanos;
        this.perChangeNanos = perChangeNanos;
    }

    @Override
    public void apply(List<NeighborChange> changes) {
        long until = System.nanoTime() + fixedNanos + perChangeNanos * changes.size();
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
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
