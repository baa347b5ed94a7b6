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

    private final ServerCallStreamObserver<WatchEvent> out;
    private final WatchSession session;
    private final Runnable onReset;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private volatile boolean cancelled;

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

    /** Ends the call (the bundle stops): the client sees UNAVAILABLE and may call again. */
    void stop() {
        cancelled = true;
        session.stop();
        signal();
    }

    @Override
    public void run() {
        try {
            session.run();
            if (!cancelled) {
                // the engine stopped, or did not answer a snapshot: the client may call again
                out.onError(Status.UNAVAILABLE.withDescription("the sync engine stopped or did not answer").asRuntimeException());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeUnavailable();
        } catch (RuntimeException e) {
            LOG.debug("watch call ended: {}", e.toString());
            closeUnavailable();
        }
    }

    private void closeUnavailable() {
        try {
            out.onError(Status.UNAVAILABLE.withDescription("the watch ended on the server").asRuntimeException());
        } catch (RuntimeException e) {
            // already closed
        }
    }

    @Override
    public boolean open() {
        return !cancelled && !out.isCancelled();
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

    /** Sends once the transport is ready (or returns when the call ended). */
    private void send(WatchEvent event) {
        lock.lock();
        try {
            while (!out.isReady() && open()) {
                ready.await(1, TimeUnit.SECONDS);
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
