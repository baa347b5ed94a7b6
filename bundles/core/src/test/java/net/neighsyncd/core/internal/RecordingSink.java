package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.engine.SinkException;

/**
 * An in-memory sink for the writer's tests: records batches, and can be told to hold a call
 * ({@link #gate}) or to fail the next ones ({@link #failuresLeft}) — faults a real Redis cannot
 * produce on cue at this level; the real sink is tested in redis-sink and itests.
 */
final class RecordingSink implements NeighborSink {
    final List<List<NeighborChange>> batches = new ArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);
    /** Counted down each time a call has begun, before it waits at the gate. */
    final java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);

    @Override
    public synchronized void apply(List<NeighborChange> changes) throws SinkException {
        entered.release();
        try {
            gate.await();
        } catch (InterruptedException e) {
            throw new SinkException("interrupted");
        }
        if (failuresLeft.getAndDecrement() > 0) {
            throw new SinkException("injected failure");
        }
        batches.add(List.copyOf(changes));
    }

    synchronized List<NeighborChange> all() {
        List<NeighborChange> out = new ArrayList<>();
        batches.forEach(out::addAll);
        return out;
    }
}
