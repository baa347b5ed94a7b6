package net.neighsyncd.netlink.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.SinkException;
import net.neighsyncd.api.warmrestart.WarmRestartStore;

/**
 * A test double of redis-sink's Redis-backed {@link WarmRestartStore} (which lives in another
 * bundle): the applied NEIGH_TABLE, the warm-restart state and the restored flag in memory, with
 * failures on demand.
 */
final class InMemoryWarmRestartStore implements WarmRestartStore {
    private final Map<NeighborKey, NeighborRecord> applied = new LinkedHashMap<>();
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final AtomicInteger readFailuresLeft = new AtomicInteger();
    private final AtomicInteger flagFailuresLeft = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger flagWrites = new AtomicInteger();
    private final CountDownLatch restored = new CountDownLatch(1);
    private volatile boolean restoredFlag;

    /** Adds an applied {@code NEIGH_TABLE:<ifname>:<ip>} entry with {@code neigh} = {@code mac}. */
    synchronized InMemoryWarmRestartStore neighbor(String ifname, String ip, String mac) {
        NeighborKey key = new NeighborKey(ifname, IpAddress.parse(ip));
        applied.put(key, new NeighborRecord(key, MacAddress.parse(mac)));
        return this;
    }

    /** The next {@code n} {@link #readApplied()} calls fail with a {@link SinkException}. */
    InMemoryWarmRestartStore failReads(int n) {
        readFailuresLeft.set(n);
        return this;
    }

    /** The next {@code n} {@link #markNeighborsRestored()} calls fail with a {@link SinkException}. */
    InMemoryWarmRestartStore failFlagWrites(int n) {
        flagFailuresLeft.set(n);
        return this;
    }

    /** Calls of {@link #readApplied()}, failed ones included. */
    int reads() {
        return reads.get();
    }

    /** Calls of {@link #markNeighborsRestored()}, failed ones included. */
    int flagWrites() {
        return flagWrites.get();
    }

    /** Waits until {@code NEIGH_RESTORE_TABLE|Flags restored=true} is set. */
    boolean awaitRestored(Duration timeout) throws InterruptedException {
        return restored.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean beginStart(String app, String docker) {
        states.put(app, STATE_INITIALIZED);
        return true;
    }

    @Override
    public void setState(String app, String state) {
        states.put(app, state);
    }

    @Override
    public OptionalInt reconcileTimerSeconds(String app, String docker) {
        return OptionalInt.empty();
    }

    @Override
    public boolean neighborsRestored() {
        return restoredFlag;
    }

    @Override
    public void markNeighborsRestored() throws SinkException {
        flagWrites.incrementAndGet();
        if (flagFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SinkException("STATE_DB unreachable (test double)");
        }
        restoredFlag = true;
        restored.countDown();
    }

    @Override
    public void clearPending() {
    }

    @Override
    public synchronized Map<NeighborKey, NeighborRecord> readApplied() throws SinkException {
        reads.incrementAndGet();
        if (readFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SinkException("APPL_DB unreachable (test double)");
        }
        return new LinkedHashMap<>(applied);
    }

    /** Holds only entries a {@link NeighborKey} spells, so none is unreadable. */
    @Override
    public Set<String> unreadableApplied() {
        return Set.of();
    }

    /** Not used by the kernel restore, which never deletes. */
    @Override
    public void deleteApplied(Collection<String> keys) {
        throw new UnsupportedOperationException("the kernel restore never deletes APPL_DB entries");
    }
}
