package net.neighsyncd.systemd.internal;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.Phase;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.testsupport.SyncStatusBuilder;

/** A sync engine whose status the test sets, and which can be made to hang in {@code status()}. */
final class FakeEngine implements SyncEngine {
    private volatile SyncStatus status = status(false, 0);
    private volatile CountDownLatch hang;

    /**
     * A status with these problems of the core ("APPL_DB writes failing" takes readiness, the
     * others degrade); a "warm restart failed" one fails the engine instead.
     */
    static SyncStatus status(boolean initialSyncDone, int neighbors, String... problems) {
        SyncStatusBuilder b = SyncStatusBuilder.inSync().phase(initialSyncDone ? Phase.IN_SYNC : Phase.SYNCING)
                .entries(neighbors, neighbors);
        for (String p : problems) {
            if (p.startsWith("warm restart failed")) {
                b.failed(p);
            } else {
                b.problem(p.startsWith("APPL_DB") ? Problem.notReady("net.neighsyncd.core", p)
                        : Problem.degraded("net.neighsyncd.core", p));
            }
        }
        return b.build();
    }

    void set(SyncStatus s) {
        status = s;
    }

    /** {@code status()} blocks until {@link #answer()}. */
    void hang() {
        hang = new CountDownLatch(1);
    }

    void answer() {
        CountDownLatch h = hang;
        hang = null;
        if (h != null) {
            h.countDown();
        }
    }

    @Override
    public SyncStatus status() {
        CountDownLatch h = hang;
        if (h != null) {
            try {
                h.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return status;
    }

    @Override
    public void resync() {
    }

        @Override
        public net.neighsyncd.api.engine.ResyncProgress requestResync(String requester) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public java.util.Optional<net.neighsyncd.api.engine.ResyncProgress> resyncProgress(long id) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public java.util.Optional<net.neighsyncd.api.engine.NeighborExplanation> explain(
                net.neighsyncd.api.neighbor.NeighborKey key) {
            throw new UnsupportedOperationException("not used by these tests");
        }

    @Override
    public List<NeighborRecord> neighbors(String text, int limit) {
        return List.of();
    }

    @Override
    public java.util.Map<String, Integer> neighborsByVrf() {
        return java.util.Map.of();
    }

    @Override
    public java.util.List<net.neighsyncd.api.engine.NeighborEntry> neighbors(net.neighsyncd.api.engine.NeighborQuery query) {
        return java.util.List.of();
    }
}
