package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.watch.AppliedChange;
import net.neighsyncd.api.watch.ChangeFeed;
import net.neighsyncd.api.watch.FeedRead;
import net.neighsyncd.api.watch.ResetReason;
import net.neighsyncd.api.watch.WatchPosition;

/**
 * The numbered history of acknowledged changes of one engine start: the last {@code capacity}
 * changes in a ring of primitive fields (no object per change is kept, so a cold sync's changes
 * die young), revision {@code r} at slot {@code r % capacity}. One thread appends (the engine
 * thread); any number of {@link ChangeFeed}s read, each at its own position, waiting for more
 * under the journal's lock. A feed that falls more than {@code capacity} behind is reset: nothing
 * is buffered per feed.
 */
final class ChangeJournal {
    private static final byte V6 = 1;
    private static final byte DELETE = 2;
    private static final byte MAC_SET = 4;
    private static final NudCategory[] STATES = NudCategory.values();

    private final String history;
    private final int capacity;
    private final String[] ifnames;
    private final long[] highs;
    private final long[] lows;
    private final long[] macs;
    private final byte[] kinds;
    private final byte[] states;
    private final String[] vrfs;
    /** A set's host-route VRF (rare): null for almost every change. */
    private final String[] hostRouteVrfs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    /** The newest revision; guarded by {@code lock}, read without it through {@link #position()}. */
    private volatile long last;
    private boolean stopped;

    ChangeJournal(String history, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.history = history;
        this.capacity = capacity;
        ifnames = new String[capacity];
        highs = new long[capacity];
        lows = new long[capacity];
        macs = new long[capacity];
        kinds = new byte[capacity];
        states = new byte[capacity];
        vrfs = new String[capacity];
        hostRouteVrfs = new String[capacity];
    }

    WatchPosition position() {
        return new WatchPosition(history, last);
    }

    String history() {
        return history;
    }

    /**
     * Numbers {@code changes} in order, the i-th with {@code vrfs[i]} and the kernel's state
     * {@code states[i]} (null: none), and wakes the feeds waiting. Engine thread only.
     */
    void append(List<NeighborChange> changes, String[] vrfOf, NudCategory[] stateOf) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            long r = last;
            for (int i = 0; i < changes.size(); i++) {
                NeighborChange c = changes.get(i);
                int at = (int) (++r % capacity);
                NeighborKey k = c.key();
                ifnames[at] = k.ifname();
                highs[at] = k.ip().high();
                lows[at] = k.ip().low();
                byte kind = k.ip().family() == Family.IPV6 ? V6 : 0;
                if (c.op() == NeighborChange.Op.DELETE) {
                    kind |= DELETE;
                    macs[at] = 0;
                } else {
                    kind |= MAC_SET;
                    macs[at] = c.record().mac().bits();
                }
                kinds[at] = kind;
                states[at] = (byte) (stateOf[i] == null ? -1 : stateOf[i].ordinal());
                vrfs[at] = vrfOf[i];
                hostRouteVrfs[at] = c.hostRouteVrf();
            }
            last = r;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the history: every feed answers {@link ResetReason#STOPPED} from its next read. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a feed waits in {@link ChangeFeed#next} now. */
    boolean hasWaiters() {
        lock.lock();
        try {
            return lock.hasWaiters(grown);
        } finally {
            lock.unlock();
        }
    }

    ChangeFeed follow(WatchPosition from) {
        return new Feed(from);
    }

    /** Why {@code from} cannot be followed, or null when it can. Under the lock. */
    private ResetReason resetFor(String fromHistory, long revision) {
        if (stopped) {
            return ResetReason.STOPPED;
        }
        if (!history.equals(fromHistory)) {
            return ResetReason.OTHER_HISTORY;
        }
        if (revision > last) {
            return ResetReason.UNKNOWN_REVISION;
        }
        if (last - revision > capacity) {
            return ResetReason.BEHIND;
        }
        return null;
    }

    private AppliedChange changeAt(long revision) {
        int at = (int) (revision % capacity);
        byte kind = kinds[at];
        Family family = (kind & V6) != 0 ? Family.IPV6 : Family.IPV4;
        NeighborKey key = new NeighborKey(ifnames[at], IpAddress.ofBits(family, highs[at], lows[at]));
        NeighborChange change;
        if ((kind & DELETE) != 0) {
            change = NeighborChange.delete(key);
        } else {
            NeighborRecord rec = new NeighborRecord(key, MacAddress.ofBits(macs[at]));
            change = hostRouteVrfs[at] == null ? NeighborChange.set(rec)
                    : NeighborChange.setReplacingHostRoute(rec, hostRouteVrfs[at]);
        }
        return new AppliedChange(revision, change, vrfs[at], states[at] < 0 ? null : STATES[states[at]]);
    }

    private final class Feed implements ChangeFeed {
        private final String fromHistory;
        private long revision;
        private FeedRead.Reset reset;
        private volatile boolean closed;

        Feed(WatchPosition from) {
            this.fromHistory = from.history();
            this.revision = from.revision();
        }

        @Override
        public FeedRead next(int max, long timeout, TimeUnit unit) throws InterruptedException {
            if (max < 1) {
                throw new IllegalArgumentException("max must be at least 1: " + max);
            }
            if (reset != null) {
                return reset;
            }
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            lock.lockInterruptibly();
            try {
                while (true) {
                    ResetReason why = closed ? ResetReason.STOPPED : resetFor(fromHistory, revision);
                    if (why != null) {
                        reset = new FeedRead.Reset(why, new WatchPosition(history, last));
                        return reset;
                    }
                    if (last > revision) {
                        int n = (int) Math.min(max, last - revision);
                        List<AppliedChange> out = new ArrayList<>(n);
                        for (int i = 1; i <= n; i++) {
                            out.add(changeAt(revision + i));
                        }
                        revision += n;
                        return new FeedRead.Changes(out);
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return new FeedRead.Changes(List.of());
                    }
                    grown.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public WatchPosition position() {
            return new WatchPosition(fromHistory, revision);
        }

        @Override
        public void close() {
            closed = true;
            lock.lock();
            try {
                grown.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
