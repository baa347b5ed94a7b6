package net.neighsyncd.api.watch;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import net.neighsyncd.api.neighbor.NeighborChange;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One follower of a {@link NeighborWatch}, as the APIs serve it: a snapshot (unless it resumes
 * from a position), then every acknowledged change its selector lets through, in revision order.
 * Nothing is buffered for the follower: the session reads the history at the pace its
 * {@link Listener} takes what it is given, and when it is further behind than the lag limit (or
 * than the history holds) it tells a reset and sends a new snapshot instead. {@link #run} runs
 * on the caller's thread until the session ends.
 */
public final class WatchSession {

    /** Where a session's events go; each call may block (that is the pace). */
    @ConsumerType
    public interface Listener {

        /** One part of a snapshot read at {@code at}; the last part has {@code last}. */
        void snapshot(WatchPosition at, List<WatchEntry> part, boolean last);

        /**
         * A change, as the selector shows it (a set it no longer accepts comes as a delete);
         * {@code at} is the position after it, what a follower resumes from.
         */
        void change(WatchPosition at, AppliedChange change);

        /** The session starts again from a snapshot: why, and where the history stands. */
        void reset(ResetReason reason, WatchPosition current);

        /** Nothing was sent for {@link Settings#keepaliveNanos()}: a transport may ping, to notice a gone peer. */
        void idle();

        /** Whether the follower is still there; the session ends when not. */
        boolean open();
    }

    /**
     * How a session reads.
     *
     * @param snapshotPart    entries per snapshot part (at least 1)
     * @param readBatch       changes taken from the history per read (at least 1)
     * @param keepaliveNanos  how long without an event before {@link Listener#idle()}
     * @param engineWaitNanos how long to wait for the engine to answer a snapshot
     * @param lagLimit        most changes the session may fall behind (read at each check, so a
     *                        new configuration applies at once)
     */
    public record Settings(int snapshotPart, int readBatch, long keepaliveNanos, long engineWaitNanos,
            LongSupplier lagLimit) {
        public Settings {
            if (snapshotPart < 1 || readBatch < 1 || keepaliveNanos < 1 || engineWaitNanos < 0) {
                throw new IllegalArgumentException("snapshotPart, readBatch and keepaliveNanos are at least 1");
            }
            Objects.requireNonNull(lagLimit, "lagLimit");
        }
    }

    private final NeighborWatch watch;
    private final NeighborSelector selector;
    private final Settings settings;
    private final Listener listener;
    private final WatchPosition resumeFrom;
    private volatile boolean stopped;
    private volatile ChangeFeed feed;

    /** @param resumeFrom where to follow from without a snapshot; null: start with one */
    public WatchSession(NeighborWatch watch, NeighborSelector selector, WatchPosition resumeFrom, Settings settings,
            Listener listener) {
        this.watch = Objects.requireNonNull(watch, "watch");
        this.selector = selector == null ? NeighborSelector.ALL : selector;
        this.resumeFrom = resumeFrom;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Ends the session: {@link #run} returns soon (at once when it waits for a change). */
    public void stop() {
        stopped = true;
        ChangeFeed f = feed;
        if (f != null) {
            f.close();
        }
    }

    /**
     * Runs the session until it is stopped, its listener is no longer open, the engine stops, or
     * the engine does not answer a snapshot in time (the follower may connect again).
     *
     * @throws InterruptedException when the thread is interrupted
     */
    public void run() throws InterruptedException {
        WatchPosition at = resumeFrom;
        while (!stopped && listener.open()) {
            if (at == null) {
                at = snapshot();
                if (at == null) {
                    return;
                }
            }
            at = follow(at);
        }
    }

    /** Sends a snapshot; its position, or null when the engine did not answer in time. */
    private WatchPosition snapshot() {
        Optional<WatchSnapshot> read = watch.snapshot(selector, null, Integer.MAX_VALUE, settings.engineWaitNanos(),
                TimeUnit.NANOSECONDS);
        if (read.isEmpty()) {
            return null;
        }
        WatchSnapshot snap = read.get();
        List<WatchEntry> all = snap.entries();
        int part = settings.snapshotPart();
        int parts = Math.max(1, (all.size() + part - 1) / part);
        for (int i = 0; i < parts && !stopped; i++) {
            listener.snapshot(snap.position(), all.subList(i * part, Math.min(all.size(), (i + 1) * part)),
                    i == parts - 1);
        }
        return snap.position();
    }

    /** Follows from {@code at} until the session must start again from a snapshot (null) or ends. */
    private WatchPosition follow(WatchPosition at) throws InterruptedException {
        try (ChangeFeed f = watch.follow(at)) {
            feed = f;
            if (stopped) {
                return null;
            }
            // a session starts as far behind as its snapshot took; it is reset when it falls further
            // behind than the lag limit from there (else a large snapshot would reset it at once, again and again)
            long startLag = Math.max(0, watch.position().revision() - at.revision());
            long lastSent = System.nanoTime();
            while (!stopped && listener.open()) {
                FeedRead read = f.next(settings.readBatch(), settings.keepaliveNanos(), TimeUnit.NANOSECONDS);
                if (stopped) {
                    return null;
                }
                if (read instanceof FeedRead.Reset reset) {
                    listener.reset(reset.reason(), reset.current());
                    if (reset.reason() == ResetReason.STOPPED) {
                        stopped = true;
                    }
                    return null;
                }
                for (AppliedChange c : ((FeedRead.Changes) read).changes()) {
                    Optional<NeighborChange> seen = selector.seenAs(c);
                    if (seen.isPresent()) {
                        listener.change(new WatchPosition(at.history(), c.revision()),
                                new AppliedChange(c.revision(), seen.get(), c.vrf(), c.state()));
                        lastSent = System.nanoTime();
                    }
                }
                if (System.nanoTime() - lastSent >= settings.keepaliveNanos()) {
                    listener.idle();
                    lastSent = System.nanoTime();
                }
                WatchPosition head = watch.position();
                long lag = head.revision() - f.position().revision();
                if (head.history().equals(at.history()) && lag > settings.lagLimit().getAsLong() + startLag) {
                    listener.reset(ResetReason.LAG, head);
                    return null;
                }
            }
            return null;
        } finally {
            feed = null;
        }
    }
}
