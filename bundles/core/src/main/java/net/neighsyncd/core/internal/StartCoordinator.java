package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.engine.SinkException;
import net.neighsyncd.api.engine.StartState;
import net.neighsyncd.api.warmrestart.WarmRestartStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, once per engine activation, whether this start is cold or warm (docs/sonic-contract.md
 * §5) and runs a warm start: pending producer objects cleared, the applied view read back from
 * {@code NEIGH_TABLE:*}, {@code restored}, the wait for the kernel restore flag, the reconcile
 * timer with no writes, then one diff and {@code reconciled}. As in SONiC, the diff deletes every
 * entry the kernel did not confirm, also those that are not neighbors as this daemon writes them. Runs on its own thread: the
 * waits may last minutes and must not block the engine or DS.
 */
final class StartCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(StartCoordinator.class);
    /** SONiC's neighsyncd reconcile timer when CONFIG_DB sets none. */
    static final int DEFAULT_TIMER_SECONDS = 5;

    /** What the coordinator drives; implemented by the engine component. */
    interface Engine {
        /** Lets the writer read the store back and write (cold start, or warm after clearing). */
        void releaseWriter();

        /** Blocks until the applied view has been read back from the store after the release. */
        boolean awaitAppliedLoaded(long timeout, TimeUnit unit) throws InterruptedException;

        /**
         * Ends the hold: one diff of everything, plus a delete of each of {@code unreadable} (keys
         * the store holds in a form that is not an entry of this daemon) that the kernel did not
         * confirm; then {@code onWritten} once it is written.
         */
        void releaseViews(Set<NeighborKey> unreadable, Runnable onWritten);

        /**
         * How long to wait for the kernel restore's flag, asked when the wait begins: by then the
         * kernel restore's bound is settled (its service is there, or SONiC's restore_neighbors.py
         * applies), and the engine checks its {@code restoreWaitSeconds} against it.
         */
        long restoreWaitSeconds();

        /** Whether store entries the kernel does not have are deleted (the engine's {@code staleCleanup}). */
        boolean staleCleanup();

        /** Shown in the health while the start is not finished; null when it is. */
        void phase(String phase);

        /** The restore flag never came: SONiC's neighsyncd exits with failure here. */
        void fatal(String reason);

        /** What this start has written last to {@code WARM_RESTART_TABLE} ({@link StartState#COLD}: a cold start). */
        void warmRestartState(StartState state);
    }

    private final Engine engine;
    private final long retryMillis;
    private volatile boolean stopped;
    private Thread thread;

    StartCoordinator(Engine engine, long retryMillis) {
        this.engine = engine;
        this.retryMillis = retryMillis;
    }

    void start(NeighborSink sink) {
        thread = new Thread(() -> run(sink), "neighsyncd-start");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    private void run(NeighborSink sink) {
        try {
            if (!(sink instanceof WarmRestartStore)) {
                LOG.info("cold start (the APPL_DB sink keeps no warm-restart state)");
                engine.warmRestartState(StartState.COLD);
                coldStart();
                return;
            }
            WarmRestartStore store = (WarmRestartStore) sink;
            engine.phase("start: reading the warm-restart state");
            boolean warm = retry(() -> store.beginStart(WarmRestartStore.APP, WarmRestartStore.DOCKER));
            engine.warmRestartState(warm ? StartState.INITIALIZED : StartState.COLD);
            if (!warm) {
                LOG.info("cold start");
                coldStart();
                return;
            }
            warmStart(store);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void coldStart() {
        engine.phase(null);
        engine.releaseWriter();
        engine.releaseViews(Set.of(), () -> { });
    }

    private void warmStart(WarmRestartStore store) throws InterruptedException {
        LOG.info("warm start: clearing pending NEIGH_TABLE changes and reading the applied entries back");
        retry(() -> {
            store.clearPending();
            return true;
        });
        engine.releaseWriter();
        while (!engine.awaitAppliedLoaded(1, TimeUnit.SECONDS)) {
            if (stopped) {
                return;
            }
        }
        Set<String> unreadable = retry(store::unreadableApplied);
        retry(() -> {
            store.setState(WarmRestartStore.APP, WarmRestartStore.STATE_RESTORED);
            return true;
        });
        engine.warmRestartState(StartState.RESTORED);
        engine.phase("warm restart: waiting for the kernel neighbor restore (NEIGH_RESTORE_TABLE|Flags)");
        long restoreWaitSeconds = engine.restoreWaitSeconds();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(restoreWaitSeconds);
        while (!restored(store)) {
            if (System.nanoTime() - deadline > 0) {
                engine.fatal("neighbor table restore is not finished after " + restoreWaitSeconds
                        + " s (STATE_DB NEIGH_RESTORE_TABLE|Flags restored is not true)");
                return;
            }
            TimeUnit.SECONDS.sleep(1);
        }
        OptionalInt configured = retry(() -> store.reconcileTimerSeconds(WarmRestartStore.APP,
                WarmRestartStore.DOCKER));
        int timer = configured.orElse(DEFAULT_TIMER_SECONDS);
        LOG.info("kernel neighbors restored; reconcile timer {} s, no writes until it fires", timer);
        engine.phase("warm restart: reconcile timer running (" + timer + " s)");
        TimeUnit.SECONDS.sleep(timer);
        engine.phase(null);
        Set<NeighborKey> unreadableNeighbors = new HashSet<>();
        List<String> unreadableOthers = new ArrayList<>();
        for (String key : unreadable) {
            NeighborKey.canonical(key).ifPresentOrElse(unreadableNeighbors::add, () -> unreadableOthers.add(key));
        }
        if (!engine.staleCleanup()) {
            if (!unreadable.isEmpty()) {
                LOG.info("stale cleanup is off: leaving {} NEIGH_TABLE entries that are not neighbors as neighsyncd "
                        + "writes them", unreadable.size());
            }
            unreadableNeighbors.clear();
            unreadableOthers.clear();
        }
        // no kernel message can spell these keys, so their deletes need no ordering with the writer's
        retry(() -> {
            store.deleteApplied(unreadableOthers);
            return true;
        });
        engine.releaseViews(unreadableNeighbors, () -> {
            try {
                store.setState(WarmRestartStore.APP, WarmRestartStore.STATE_RECONCILED);
                engine.warmRestartState(StartState.RECONCILED);
                LOG.info("warm restart reconciled");
            } catch (SinkException e) {
                LOG.warn("warm restart reconciled, but its state could not be written: {}", e.toString());
            }
        });
    }

    private boolean restored(WarmRestartStore store) throws InterruptedException {
        try {
            return store.neighborsRestored();
        } catch (SinkException e) {
            LOG.debug("cannot read the restore flag yet: {}", e.toString());
            return false;
        }
    }

    private interface StoreCall<T> {
        T call() throws SinkException;
    }

    /** Repeats a store call until it works; Redis may not be up yet when the daemon starts. */
    private <T> T retry(StoreCall<T> call) throws InterruptedException {
        boolean warned = false;
        while (true) {
            if (stopped) {
                throw new InterruptedException("stopping");
            }
            try {
                return call.call();
            } catch (SinkException e) {
                if (!warned) {
                    LOG.warn("start: cannot reach the warm-restart tables yet, retrying: {}", e.toString());
                    warned = true;
                }
                TimeUnit.MILLISECONDS.sleep(retryMillis);
            }
        }
    }
}
