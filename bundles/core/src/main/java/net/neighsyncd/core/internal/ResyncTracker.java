package net.neighsyncd.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import net.neighsyncd.api.engine.ResyncProgress;
import net.neighsyncd.api.engine.ResyncProgress.State;

/**
 * The requested resyncs of an engine component, numbered across its starts, the last {@value #KEPT}
 * kept. A request
 * waits for the first full dump that starts after it (the source queues one for it), runs with it,
 * and is done when that dump completes; its writes are the engine's change counts over that time.
 * Thread-safe: requests come from any thread, dump events from the engine thread.
 */
final class ResyncTracker {
    static final int KEPT = 64;

    /** One resync; its counts are the engine's totals when its dump started and completed. */
    private static final class Resync {
        final long id;
        final String requester;
        final long requestedNanos;
        final Instant requested;
        State state = State.WAITING;
        Instant started;
        Instant completed;
        long setsAtStart;
        long deletesAtStart;
        long sets;
        long deletes;

        Resync(long id, String requester, long requestedNanos, Instant requested) {
            this.id = id;
            this.requester = requester;
            this.requestedNanos = requestedNanos;
            this.requested = requested;
        }
    }

    private final Map<Long, Resync> resyncs = new LinkedHashMap<>();
    private long next = 1;

    /** A new request, waiting; {@code nanos} is when it was made on {@link System#nanoTime()}'s scale. */
    synchronized ResyncProgress request(String requester, long nanos, Instant now) {
        Resync r = new Resync(next++, requester, nanos, now);
        resyncs.put(r.id, r);
        if (resyncs.size() > KEPT) {
            Iterator<Long> oldest = resyncs.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return progress(r, 0, 0);
    }

    /** Nothing can be dumped for request {@code id}. */
    synchronized void failed(long id) {
        Resync r = resyncs.get(id);
        if (r != null) {
            r.state = State.FAILED;
        }
    }

    /** A dump started at {@code nanos}: every request made before then runs with it. */
    synchronized void dumpStarted(long nanos, Instant now, long sets, long deletes) {
        for (Resync r : resyncs.values()) {
            if (r.state == State.WAITING && r.requestedNanos - nanos <= 0) {
                r.state = State.RUNNING;
                r.started = now;
                r.setsAtStart = sets;
                r.deletesAtStart = deletes;
            }
        }
    }

    /** The running dump completed, its differences handed to the writer; the totals are the engine's now. */
    synchronized void dumpCompleted(Instant now, long sets, long deletes) {
        for (Resync r : resyncs.values()) {
            if (r.state == State.RUNNING) {
                r.state = State.DONE;
                r.completed = now;
                r.sets = sets - r.setsAtStart;
                r.deletes = deletes - r.deletesAtStart;
            }
        }
    }

    /** The engine stopped: a request still waiting or running ends as failed; its dump will not come. */
    synchronized void engineStopped(Instant now) {
        for (Resync r : resyncs.values()) {
            if (r.state == State.WAITING || r.state == State.RUNNING) {
                r.state = State.FAILED;
                r.completed = now;
            }
        }
    }

    /** Where request {@code id} stands, a running one counted up to the engine's totals given. */
    synchronized Optional<ResyncProgress> get(long id, long sets, long deletes) {
        Resync r = resyncs.get(id);
        return r == null ? Optional.empty() : Optional.of(progress(r, sets, deletes));
    }

    /** Every request kept, oldest first. */
    synchronized java.util.List<Long> ids() {
        return new ArrayList<>(resyncs.keySet());
    }

    private static ResyncProgress progress(Resync r, long sets, long deletes) {
        long s = switch (r.state) {
            case RUNNING -> sets - r.setsAtStart;
            case DONE -> r.sets;
            default -> 0;
        };
        long d = switch (r.state) {
            case RUNNING -> deletes - r.deletesAtStart;
            case DONE -> r.deletes;
            default -> 0;
        };
        return new ResyncProgress(r.id, r.requester, r.state, r.requested, r.started, r.completed, s, d);
    }
}
