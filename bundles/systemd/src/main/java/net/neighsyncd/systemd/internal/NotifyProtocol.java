package net.neighsyncd.systemd.internal;

import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.engine.EngineHealth;
import net.neighsyncd.api.engine.Phase;
import net.neighsyncd.api.health.Impact;
import net.neighsyncd.api.health.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to tell systemd, decided one tick at a time from an {@link EngineObservation}; no threads
 * and no clock of its own, so tests drive it with a fake clock and a recording sender.
 * <ul>
 * <li>{@code READY=1} (with {@code STATUS=}) once, at the first tick whose engine has done its
 * initial sync, or stands by for another instance that writes (docs/ha.md): its start is done
 * too, and a unit that waited for its initial sync would time out;</li>
 * <li>{@code STATUS=} whenever the health changes (state or problems, not mere counts);</li>
 * <li>{@code WATCHDOG=1} at most every watchdog interval, and only at ticks where the engine is
 * {@linkplain EngineObservation#live() live} — also before {@code READY=1}, since a warm start
 * may legitimately wait longer than the watchdog;</li>
 * <li>{@code STOPPING=1} once, at {@link #stopping()}.</li>
 * </ul>
 * Not thread-safe: one scheduler thread calls {@link #tick}, {@link #stopping} comes after it ends.
 */
final class NotifyProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyProtocol.class);

    private final NotifySender sender;
    private final LongSupplier nanoClock;
    private final long watchdogIntervalNanos;
    private final long slackNanos;

    private boolean ready;
    private boolean stopped;
    private String lastHealth;
    private boolean watchdogSent;
    private long lastWatchdogNanos;
    private boolean sendFailing;

    /**
     * @param watchdogIntervalNanos 0: no watchdog
     * @param tickNanos             how often {@link #tick} is called: a watchdog ping is due up to half a
     *                              tick early, so that jitter never stretches an interval by a whole tick
     */
    NotifyProtocol(NotifySender sender, LongSupplier nanoClock, long watchdogIntervalNanos, long tickNanos) {
        this.sender = sender;
        this.nanoClock = nanoClock;
        this.watchdogIntervalNanos = watchdogIntervalNanos;
        this.slackNanos = tickNanos / 2;
    }

    /** The tick period for a watchdog interval: every {@code pollNanos}, or every interval when that is shorter. */
    static long tickNanos(long pollNanos, long watchdogIntervalNanos) {
        return watchdogIntervalNanos > 0 ? Math.min(pollNanos, watchdogIntervalNanos) : pollNanos;
    }

    void tick(EngineObservation engine) {
        if (stopped) {
            return;
        }
        String health = health(engine);
        if (!ready && engine.status() != null && (engine.status().initialSyncDone() || engine.status().standingBy())) {
            ready = true;
            lastHealth = health;
            send("READY=1\nSTATUS=" + statusText(engine));
        } else if (!health.equals(lastHealth)) {
            lastHealth = health;
            send("STATUS=" + statusText(engine));
        }
        if (watchdogIntervalNanos > 0 && engine.live()) {
            long now = nanoClock.getAsLong();
            if (!watchdogSent || now - lastWatchdogNanos + slackNanos >= watchdogIntervalNanos) {
                watchdogSent = true;
                lastWatchdogNanos = now;
                send("WATCHDOG=1");
            }
        }
    }

    /** Sends {@code STOPPING=1}; every later tick is ignored. */
    void stopping() {
        if (!stopped) {
            stopped = true;
            send("STOPPING=1\nSTATUS=stopping");
        }
    }

    boolean ready() {
        return ready;
    }

    /** What a health change is: the state and the problems, without the counts. */
    private static String health(EngineObservation engine) {
        SyncStatus s = engine.status();
        if (s == null) {
            return "missing:" + engine.missing();
        }
        return s.health().phase() + ":" + sortedProblems(s);
    }

    /** The {@code STATUS=} text systemctl status shows. */
    static String statusText(EngineObservation engine) {
        SyncStatus s = engine.status();
        if (s == null) {
            return engine.missing();
        }
        EngineHealth h = s.health();
        if (h.phase() == Phase.FAILED) {
            return "failed: " + h.fatalReason();
        }
        String problems = String.join("; ", sortedProblems(s));
        String kind = h.problems().stream().anyMatch(p -> p.impact() == Impact.NOT_READY) ? "not ready: " : "degraded: ";
        if (s.standingBy()) {
            return "standby: another instance writes APPL_DB"
                    + s.leadership().flatMap(l -> l.leader()).map(l -> " (" + l + ")").orElse("");
        }
        if (!s.initialSyncDone()) {
            return problems.isEmpty() ? "initial sync in progress" : "initial sync in progress; " + kind + problems;
        }
        return problems.isEmpty() ? "syncing; " + s.desiredEntries() + " neighbors" : kind + problems;
    }

    private static List<String> sortedProblems(SyncStatus s) {
        return s.problems().stream().map(Problem::toString).collect(Collectors.toList());
    }

    private void send(String message) {
        try {
            sender.send(message);
            if (sendFailing) {
                sendFailing = false;
                LOG.info("systemd notification to {} works again", sender);
            }
        } catch (IOException | RuntimeException e) {
            if (!sendFailing) {
                sendFailing = true;
                LOG.warn("cannot notify systemd at {}: {}", sender, e.toString());
            }
        }
    }
}
