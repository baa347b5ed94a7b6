package net.neighsyncd.systemd.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.SyncStatus;

/** A sync engine whose status the test sets, and which can be made to hang in {@code status()}. */
final class FakeEngine implements SyncEngine {
    private volatile SyncStatus status = status(false, 0);
    private volatile CountDownLatch hang;

    static SyncStatus status(boolean initialSyncDone, int neighbors, String... problems) {
        return new SyncStatus(initialSyncDone, neighbors, neighbors, 0, Map.of(), Set.of(problems));
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
    public List<NeighborRecord> neighbors(String text, int limit) {
        return List.of();
    }
}
