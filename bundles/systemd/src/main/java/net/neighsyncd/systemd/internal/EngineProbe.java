package net.neighsyncd.systemd.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.SyncStatus;

/**
 * Asks the current engine for its status on a thread of its own, waiting at most a timeout: an
 * engine that hangs must stop the watchdog, not the notifier. While an earlier call still hangs no
 * new one is started.
 */
final class EngineProbe implements AutoCloseable {
    private final Supplier<SyncEngine> engine;
    private final long timeoutNanos;
    private final ExecutorService caller = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "neighsyncd-systemd-probe");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<SyncStatus> pending;

    EngineProbe(Supplier<SyncEngine> engine, long timeoutNanos) {
        this.engine = engine;
        this.timeoutNanos = timeoutNanos;
    }

    EngineObservation observe() {
        SyncEngine e = engine.get();
        if (e == null) {
            return EngineObservation.missing("waiting for the sync engine");
        }
        if (pending != null && !pending.isDone()) {
            return EngineObservation.missing("degraded: sync engine not answering");
        }
        pending = CompletableFuture.supplyAsync(e::status, caller);
        try {
            SyncStatus status = pending.get(timeoutNanos, TimeUnit.NANOSECONDS);
            return status == null ? EngineObservation.missing("degraded: sync engine gave no status")
                    : EngineObservation.of(status);
        } catch (TimeoutException ex) {
            return EngineObservation.missing("degraded: sync engine not answering");
        } catch (ExecutionException ex) {
            return EngineObservation.missing("degraded: sync engine status failed: " + ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return EngineObservation.missing("stopping");
        }
    }

    /**
     * Waits until the {@code status()} call started last has returned, so that the next
     * {@link #observe()} starts a new one: tests use it after a hanging engine answered.
     */
    void awaitLastCall() throws InterruptedException {
        CompletableFuture<SyncStatus> last = pending;
        if (last != null) {
            try {
                last.get();
            } catch (ExecutionException e) {
                // it returned, by failing
            }
        }
    }

    @Override
    public void close() {
        caller.shutdownNow();
    }
}
