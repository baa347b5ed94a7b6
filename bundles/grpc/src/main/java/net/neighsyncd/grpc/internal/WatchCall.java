package net.neighsyncd.grpc.internal;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.neighsyncd.api.watch.AppliedChange;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.ResetReason;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.watch.WatchPosition;
import net.neighsyncd.api.watch.WatchSession;
import net.neighsyncd.grpc.v1.Snapshot;
import net.neighsyncd.grpc.v1.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code WatchNeighbors} call: a {@link WatchSession} whose events go out as
 * {@link WatchEvent}s, on a thread of its own. Each event waits until the transport is ready for
 * it (its flow control), so a consumer that reads slowly holds the session back, which then falls
 * behind and is reset rather than buffered for.
 */
final class WatchCall implements Runnable, WatchSession.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(WatchCall.class);
    static final int SNAPSHOT_PART = 500;
    private static final int READ = 512;
    /** How long without an event before the session checks the call is still there. */
    private static final long IDLE_SECONDS = 15;
    /**
     * How long one event may wait for a client that reads nothing (its transport window full)
     * before the call is ended: a client that stalls longer would hold a watch slot and a thread.
     */
    static final long STALL_SECONDS = 120;

    private final ServerCallStreamObserver<WatchEvent> out;
    private final WatchSession session;
    private final Runnable onReset;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    /** The client cancelled the call (or it ended): nothing more is sent. */
    private volatile boolean cancelled;
    /** The server stops the call (the bundle stops, its server restarts). */
    private volatile boolean stopping;
    /** Why the call ends from the server's side, when it does: its status. */
    private volatile Status ending;

    WatchCall(NeighborWatch watch, NeighborSelector selector, WatchPosition from, long lagLimit,
            ServerCallStreamObserver<WatchEvent> out, Runnable onReset) {
        this.out = out;
        this.onReset = onReset;
        this.session = new WatchSession(watch, selector, from, new WatchSession.Settings(SNAPSHOT_PART, READ,
                TimeUnit.SECONDS.toNanos(IDLE_SECONDS), TimeUnit.SECONDS.toNanos(NeighsyncdService.ENGINE_WAIT_SECONDS),
                () -> lagLimit), this);
        out.setOnReadyHandler(this::signal);
        out.setOnCancelHandler(() -> {
            cancelled = true;
            session.stop();
            signal();
        });
    }

    /** Ends the call (the bundle stops, the server restarts): the client sees UNAVAILABLE and may call again. */
    void stop() {
        ending = Status.UNAVAILABLE.withDescription("the gRPC API is stopping or restarting; call again");
        stopping = true;
        session.stop();
        signal();
    }

    @Override
    public void run() {
        try {
            session.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("watch call ended: {}", e.toString());
        }
        if (!cancelled && !out.isCancelled()) {
            // the server ends it (stopping, a stalled client), or the engine stopped or did not answer
            Status why = ending != null ? ending
                    : Status.UNAVAILABLE.withDescription("the sync engine stopped or did not answer; call again");
            try {
                out.onError(why.asRuntimeException());
            } catch (RuntimeException e) {
                LOG.debug("watch call already closed: {}", e.toString());
            }
        }
    }

    @Override
    public boolean open() {
        return !cancelled && !stopping && !out.isCancelled();
    }

    @Override
    public void snapshot(WatchPosition at, List<WatchEntry> part, boolean last) {
        Snapshot.Builder s = Snapshot.newBuilder().setPosition(ProtoMapping.position(at)).setLast(last);
        for (WatchEntry e : part) {
            s.addNeighbors(ProtoMapping.neighbor(e));
        }
        send(WatchEvent.newBuilder().setSnapshot(s).build());
    }

    @Override
    public void change(WatchPosition at, AppliedChange change) {
        send(WatchEvent.newBuilder().setChange(ProtoMapping.change(change)).build());
    }

    @Override
    public void reset(ResetReason reason, WatchPosition current) {
        onReset.run();
        send(WatchEvent.newBuilder().setReset(ProtoMapping.reset(reason, current)).build());
    }

    @Override
    public void idle() {
        // HTTP/2 keepalive (the server's pings) notices a gone client; nothing to send
    }

    /**
     * Sends once the transport is ready; returns without sending when the call ended, or when the
     * client read nothing for {@link #STALL_SECONDS} (the call then ends RESOURCE_EXHAUSTED).
     */
    private void send(WatchEvent event) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STALL_SECONDS);
        lock.lock();
        try {
            while (!out.isReady() && open()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    ending = Status.RESOURCE_EXHAUSTED.withDescription("the client read nothing for " + STALL_SECONDS
                            + " s; call again, resuming from the last revision read");
                    stopping = true;
                    session.stop();
                    return;
                }
                ready.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.stop();
            return;
        } finally {
            lock.unlock();
        }
        if (open()) {
            out.onNext(event);
        }
    }

    private void signal() {
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
