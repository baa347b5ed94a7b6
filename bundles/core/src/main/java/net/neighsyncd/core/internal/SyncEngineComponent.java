package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.engine.NeighborChangeListener;
import net.neighsyncd.api.engine.NeighborEventHandler;
import net.neighsyncd.api.engine.NeighborFilter;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.engine.NeighborSource;
import net.neighsyncd.api.engine.ReconcilableSink;
import net.neighsyncd.api.engine.SwitchModesSource;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.SyncStatus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync core as a DS component. Sources, sinks, filters, listeners and the switch modes are
 * all dynamic references: any of them may come, go or be replaced while the engine keeps its
 * views, so none of that ever restarts the core.
 */
@Component(service = SyncEngine.class, immediate = true, configurationPid = SyncEngineComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EngineConfig.class)
public final class SyncEngineComponent implements SyncEngine {
    static final String PID = "net.neighsyncd.core";
    /** System property the launcher exits with once the framework has stopped (SONiC's supervisor reads it). */
    static final String EXIT_STATUS_PROPERTY = "neighsyncd.exit.status";
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngineComponent.class);

    private final Counters counters = new Counters();
    private final Map<NeighborSink, SinkWriter> extraWriters = new ConcurrentHashMap<>();
    private final List<NeighborChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final List<HealthContributor> health = new CopyOnWriteArrayList<>();
    private final List<FilterBinding> filters = new CopyOnWriteArrayList<>();
    private final AtomicBoolean initialSyncDone = new AtomicBoolean();
    private final Object sourceLock = new Object();
    private volatile EngineSettings settings = EngineSettings.DEFAULTS;
    private EngineThread engine;
    private NeighborView view;
    private SinkWriter applDbWriter;
    private NeighborSink applDbSink;
    private NeighborSource source;
    private AutoCloseable sourceSubscription;
    private SwitchModesSource modesSource;
    private AutoCloseable modesWatch;
    private boolean firstDumpSeen;
    /** Engine thread: when the kernel message being handled was read (queued), 0 outside one. */
    private long readNanos;
    /** Overflows reported so far, and the count when the running dump started (engine thread). */
    private final java.util.concurrent.atomic.AtomicLong overflows = new java.util.concurrent.atomic.AtomicLong();
    private long overflowsAtDumpStart = -1;
    private volatile boolean overflowUnrepaired;
    private volatile boolean active;
    private volatile boolean configRejected;
    private BundleContext context;
    private StartCoordinator coordinator;
    private volatile String startPhase = "start: waiting for the APPL_DB sink";
    /** The warm-restart state this start wrote last; empty until the start has decided. */
    private volatile String warmRestartState = "";
    /** When the running dump started (engine thread only); 0 when none runs. */
    private long dumpStartedNanos;
    private volatile long lastDumpMicros = -1;
    private volatile CountDownLatch appliedLoaded = new CountDownLatch(1);

    private record FilterBinding(NeighborFilter filter, int ranking, long serviceId) {
    }

    @Activate
    void activate(BundleContext context, EngineConfig config) {
        this.context = context;
        applyConfig(config, true);
        engine = new EngineThread("neighsyncd-engine", settings.eventQueueCapacity());
        view = new NeighborView(this::emit, counters);
        view.setStaleCleanup(settings.staleCleanup());
        view.setPolicy(settings.policy());
        // nothing is written before the start is known to be cold or warm
        view.hold();
        applDbWriter = new SinkWriter("APPL_DB", "", settings.writer(), counters, this::notifyListeners,
                read -> engine.submit(() -> {
                    try {
                        view.reloadApplied(read.withWaitingChanges());
                    } finally {
                        read.loaded();
                    }
                    appliedLoaded.countDown();
                }));
        applDbWriter.hold();
        applDbWriter.start();
        engine.start();
        active = true;
        synchronized (sourceLock) {
            applDbWriter.sink(applDbSink);
            if (applDbSink != null) {
                startCoordinator(applDbSink);
            }
            extraWriters.values().forEach(SinkWriter::start);
            if (modesSource != null) {
                watchModes(modesSource);
            }
            engine.submit(this::refreshFilters);
            if (source != null) {
                subscribe(source);
            }
        }
        LOG.info("sync engine active");
    }

    @Modified
    void modified(EngineConfig config) {
        applyConfig(config, false);
        applDbWriter.settings(settings.writer());
        boolean cleanup = settings.staleCleanup();
        RulesPolicy policy = settings.policy();
        engine.submit(() -> {
            view.setStaleCleanup(cleanup);
            view.setPolicy(policy);
        });
        extraWriters.values().forEach(w -> w.settings(settings.writer()));
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        active = false;
        if (coordinator != null) {
            coordinator.stop();
        }
        synchronized (sourceLock) {
            closeQuietly(sourceSubscription);
            sourceSubscription = null;
            closeQuietly(modesWatch);
            modesWatch = null;
        }
        engine.stop(settings.stopFlushMillis(), TimeUnit.MILLISECONDS);
        // a read-back handed to the engine after it stopped is never taken
        applDbWriter.stopWaitingForLoad();
        if (!applDbWriter.flush(settings.stopFlushMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("stopping with {} changes not yet written to APPL_DB (sink unavailable)",
                    applDbWriter.pending());
        }
        applDbWriter.stop();
        for (SinkWriter w : extraWriters.values()) {
            w.flush(settings.stopFlushMillis(), TimeUnit.MILLISECONDS);
            w.stop();
        }
        LOG.info("sync engine stopped");
    }

    // ---- references -------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSource(NeighborSource s) {
        synchronized (sourceLock) {
            closeQuietly(sourceSubscription);
            sourceSubscription = null;
            source = s;
            if (active) {
                subscribe(s);
            }
        }
    }

    void unbindSource(NeighborSource s) {
        synchronized (sourceLock) {
            if (source == s) {
                closeQuietly(sourceSubscription);
                sourceSubscription = null;
                source = null;
                LOG.info("neighbor source {} gone; views kept until a source returns", s.namespace());
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSink(NeighborSink sink, Map<String, Object> props) {
        synchronized (sourceLock) {
            if (Boolean.parseBoolean(String.valueOf(props.get(NeighborSink.APPL_DB_PROPERTY)))) {
                applDbSink = sink;
                if (applDbWriter != null) {
                    applDbWriter.sink(sink);
                }
                if (active) {
                    startCoordinator(sink);
                }
                return;
            }
            SinkWriter w = new SinkWriter(sink.getClass().getName(), "sink." + props.get("service.id") + ".",
                    settings.writer(), counters, changes -> { });
            w.sink(sink);
            extraWriters.put(sink, w);
            if (active) {
                w.start();
                engine.submit(() -> view.appliedSnapshot().forEach(r -> w.offer(NeighborChange.set(r))));
            }
        }
    }

    void unbindSink(NeighborSink sink, Map<String, Object> props) throws InterruptedException {
        SinkWriter w;
        synchronized (sourceLock) {
            if (sink == applDbSink) {
                applDbSink = null;
                if (applDbWriter != null) {
                    applDbWriter.sink(null);
                }
                LOG.info("APPL_DB sink gone; changes wait for it");
                return;
            }
            w = extraWriters.remove(sink);
        }
        if (w != null) {
            w.stop();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedFilter")
    void bindFilter(NeighborFilter f, Map<String, Object> props) {
        filters.add(new FilterBinding(f, ranking(props), ((Number) props.get("service.id")).longValue()));
        if (active) {
            engine.submit(this::refreshFilters);
        }
    }

    /** A filter's service properties changed (its ranking, or a new configuration): re-derive. */
    void updatedFilter(NeighborFilter f, Map<String, Object> props) {
        filters.removeIf(b -> b.filter() == f);
        bindFilter(f, props);
    }

    void unbindFilter(NeighborFilter f) {
        filters.removeIf(b -> b.filter() == f);
        if (active) {
            engine.submit(this::refreshFilters);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindHealth(HealthContributor h) {
        health.add(h);
    }

    void unbindHealth(HealthContributor h) {
        health.remove(h);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindListener(NeighborChangeListener l) {
        listeners.add(l);
    }

    void unbindListener(NeighborChangeListener l) {
        listeners.remove(l);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindModes(SwitchModesSource s) {
        synchronized (sourceLock) {
            closeQuietly(modesWatch);
            modesWatch = null;
            modesSource = s;
            if (active) {
                watchModes(s);
            }
        }
    }

    void unbindModes(SwitchModesSource s) {
        synchronized (sourceLock) {
            if (modesSource == s) {
                closeQuietly(modesWatch);
                modesWatch = null;
                modesSource = null;
                LOG.info("switch modes source gone; last modes stay in force");
            }
        }
    }

    // ---- SyncEngine -------------------------------------------------------------------------

    @Override
    public void resync() {
        NeighborSource s;
        synchronized (sourceLock) {
            s = source;
        }
        if (s == null) {
            LOG.warn("resync requested but no neighbor source is bound");
            return;
        }
        LOG.info("operator resync requested");
        s.requestDump();
    }

    @Override
    public SyncStatus status() {
        int[] sizes = new int[2];
        // published by the engine task; stays empty when it does not answer in time
        java.util.concurrent.atomic.AtomicReference<Map<net.neighsyncd.api.neighbor.Family, Integer>> byFamily =
                new java.util.concurrent.atomic.AtomicReference<>(Map.of());
        java.util.concurrent.atomic.AtomicReference<Map<String, Integer>> byState =
                new java.util.concurrent.atomic.AtomicReference<>(Map.of());
        long[] modes = {-1, -1, -1};
        try {
            if (!engine.runAndWait(() -> {
                modes[0] = view.dualTorInForce() ? 1 : 0;
                modes[1] = view.modes().evpnNvo() ? 1 : 0;
                modes[2] = view.linkLocalOnlyInForce() ? 1 : 0;
                sizes[0] = view.kernelSize();
                sizes[1] = view.appliedSize();
                byFamily.set(view.kernelSizeByFamily());
                byState.set(view.kernelSizeByState());
            }, 5, TimeUnit.SECONDS)) {
                sizes[0] = -1;
                sizes[1] = -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Long> c = counters.snapshot();
        c.put("engine.queue.depth", (long) engine.depth());
        if (sizes[0] >= 0) {
            byFamily.get().forEach((f, n) -> c.put(
                    Counters.NEIGHBORS_KERNEL_PREFIX + f.name().toLowerCase(java.util.Locale.ROOT), (long) n));
            byState.get().forEach((state, n) -> c.put(Counters.NEIGHBORS_KERNEL_STATE_PREFIX + state, (long) n));
        }
        if (lastDumpMicros >= 0) {
            c.put(Counters.DUMPS_DURATION_LAST_US, lastDumpMicros);
        }
        if (modes[0] >= 0) {
            c.put(Counters.SWITCH_MODE_DUAL_TOR, modes[0]);
            c.put(Counters.SWITCH_MODE_EVPN_NVO, modes[1]);
            c.put(Counters.SWITCH_MODE_LINK_LOCAL_ONLY, modes[2]);
        }
        String warm = warmRestartState;
        if (!warm.isEmpty()) {
            c.put(Counters.WARM_RESTART_STATE_PREFIX + warm, 1L);
        }
        long oldestRead = applDbWriter.oldestPendingReadNanos();
        c.put(Counters.PENDING_OLDEST_AGE_MS, oldestRead == 0 ? 0L
                : Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldestRead)));
        return new SyncStatus(initialSyncDone.get(), sizes[0], sizes[1], applDbWriter.pending(), c, problems());
    }

    @Override
    public List<NeighborRecord> neighbors(String text, int limit) {
        String needle = text == null ? "" : text.toLowerCase(java.util.Locale.ROOT);
        int max = Math.max(0, limit);
        List<NeighborRecord> out = new ArrayList<>();
        try {
            engine.runAndWait(() -> out.addAll(view.appliedMatching(needle, max)), 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    // ---- internals --------------------------------------------------------------------------

    /** PID of the built-in kernel restore, whose timeout the wait for the restore flag must exceed. */
    static final String RESTORE_PID = "net.neighsyncd.restore";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    /**
     * The kernel restore's timeout: {@code timeoutSeconds} of the {@code net.neighsyncd.restore}
     * configuration when there is one (the built-in restore's, or, with it disabled, what an
     * operator declares for SONiC's restore_neighbors.py), else restore_neighbors.py's 110 s.
     */
    private long kernelRestoreTimeoutSeconds() {
        ConfigurationAdmin cm = configAdmin;
        if (cm == null) {
            return EngineSettings.SONIC_RESTORE_TIMEOUT_SECONDS;
        }
        try {
            Configuration[] found = cm.listConfigurations("(service.pid=" + RESTORE_PID + ")");
            if (found != null && found.length > 0 && found[0].getProperties() != null) {
                java.util.Dictionary<String, Object> p = found[0].getProperties();
                if (p.get("timeoutSeconds") != null) {
                    return Long.parseLong(String.valueOf(p.get("timeoutSeconds")).trim());
                }
            }
        } catch (java.io.IOException | InvalidSyntaxException | NumberFormatException e) {
            LOG.debug("cannot read the kernel restore's timeout: {}", e.toString());
        }
        return EngineSettings.SONIC_RESTORE_TIMEOUT_SECONDS;
    }

    /** Once per activation, with the first APPL_DB sink; caller holds {@code sourceLock}. */
    private void startCoordinator(NeighborSink sink) {
        if (coordinator != null) {
            return;
        }
        coordinator = new StartCoordinator(new StartHooks(), settings.restoreWaitSeconds(),
                settings.writer().retryInitialMillis());
        coordinator.start(sink);
    }

    /** Why the engine is not healthy now; empty when it is. */
    private java.util.Set<String> problems() {
        java.util.Set<String> p = new java.util.TreeSet<>();
        String phase = startPhase;
        if (phase != null) {
            p.add(phase);
        }
        synchronized (sourceLock) {
            if (source == null) {
                p.add("no neighbor source");
            }
            if (applDbSink == null) {
                p.add("no APPL_DB sink");
            }
        }
        if (overflowUnrepaired) {
            p.add("netlink overflow: resync not yet complete");
        }
        if (applDbWriter.failing()) {
            p.add("APPL_DB writes failing");
        }
        if (configRejected) {
            p.add("configuration " + PID + " rejected");
        }
        for (HealthContributor h : health) {
            try {
                p.addAll(h.problems());
            } catch (RuntimeException e) {
                p.add(h.getClass().getName() + " cannot report its health: " + e);
            }
        }
        return p;
    }

    private void applyConfig(EngineConfig config, boolean atActivation) {
        List<String> problems = EngineSettings.problems(config, kernelRestoreTimeoutSeconds());
        if (!problems.isEmpty()) {
            LOG.error("configuration {} rejected, keeping the last good one: {}", PID, String.join("; ", problems));
            counters.increment("config.rejected");
            configRejected = true;
            return;
        }
        configRejected = false;
        EngineSettings next = EngineSettings.of(config);
        if (!atActivation && next.eventQueueCapacity() != settings.eventQueueCapacity()) {
            LOG.info("{}: eventQueueCapacity={} takes effect at the next activation", PID,
                    next.eventQueueCapacity());
        }
        settings = next;
    }

    private void subscribe(NeighborSource s) {
        LOG.info("subscribing to neighbor source (namespace '{}')", s.namespace());
        sourceSubscription = s.subscribe(new Handler());
    }

    private void watchModes(SwitchModesSource s) {
        modesWatch = s.watch(m -> engine.submit(() -> view.setModes(m)));
        var current = s.current();
        engine.submit(() -> view.setModes(current));
    }

    private void refreshFilters() {
        List<FilterBinding> sorted = new ArrayList<>(filters);
        sorted.sort(Comparator.comparingInt(FilterBinding::ranking).reversed()
                .thenComparingLong(FilterBinding::serviceId));
        List<NeighborFilter> list = new ArrayList<>();
        sorted.forEach(b -> list.add(b.filter()));
        view.setFilters(list);
    }

    private void emit(NeighborChange change) {
        long read = readNanos;
        applDbWriter.offer(change, read);
        for (SinkWriter w : extraWriters.values()) {
            w.offer(change, read);
        }
    }

    /** Runs {@code task} on the engine thread with {@code read} as the read time of what it emits. */
    private void fromKernel(long read, Runnable task) {
        readNanos = read == 0 ? 1 : read;
        try {
            task.run();
        } finally {
            readNanos = 0;
        }
    }

    private void notifyListeners(List<NeighborChange> applied) {
        for (NeighborChangeListener l : listeners) {
            try {
                l.onApplied(applied);
            } catch (RuntimeException e) {
                LOG.warn("change listener {} failed", l.getClass().getName(), e);
            }
        }
    }

    private void onDumpCompleted() {
        view.onDumpCompleted();
        counters.increment(Counters.DUMPS);
        if (dumpStartedNanos != 0) {
            long micros = Math.max(0, (System.nanoTime() - dumpStartedNanos) / 1_000);
            counters.increment(Counters.DUMPS_TIMED);
            counters.add(Counters.DUMPS_DURATION_SUM_US, micros);
            lastDumpMicros = micros;
            dumpStartedNanos = 0;
        }
        if (overflowUnrepaired && overflowsAtDumpStart == overflows.get()) {
            overflowUnrepaired = false;
            counters.increment(Counters.RESYNCS_AFTER_OVERFLOW);
            LOG.info("resync after netlink overflow complete: APPL_DB matches the kernel again");
        }
        LOG.info("kernel dump complete: {} kernel neighbors, {} entries for APPL_DB", view.kernelSize(),
                view.appliedSize());
        firstDumpSeen = true;
        markInitialSyncWhenWritten();
    }

    /** Engine thread: once the first dump is in and nothing is held back, readiness waits for the writes. */
    private void markInitialSyncWhenWritten() {
        if (firstDumpSeen && !view.holding() && !initialSyncDone.get()) {
            applDbWriter.whenIdle(() -> {
                if (initialSyncDone.compareAndSet(false, true)) {
                    LOG.info("initial sync written to APPL_DB");
                }
            });
        }
    }

    private static int ranking(Map<String, Object> props) {
        Object r = props.get("service.ranking");
        return r instanceof Integer ? (Integer) r : 0;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }

    /** What the start coordinator may do to the engine. */
    private final class StartHooks implements StartCoordinator.Engine {
        @Override
        public void releaseWriter() {
            appliedLoaded = new CountDownLatch(1);
            if (!(applDbSink instanceof ReconcilableSink)) {
                appliedLoaded.countDown();
            }
            applDbWriter.release();
        }

        @Override
        public boolean awaitAppliedLoaded(long timeout, TimeUnit unit) throws InterruptedException {
            return appliedLoaded.await(timeout, unit);
        }

        @Override
        public void releaseViews(Set<NeighborKey> unreadable, Runnable onWritten) {
            engine.submit(() -> {
                view.release(unreadable);
                markInitialSyncWhenWritten();
                applDbWriter.whenIdle(onWritten);
            });
        }

        @Override
        public boolean staleCleanup() {
            return settings.staleCleanup();
        }

        @Override
        public void phase(String phase) {
            startPhase = phase;
        }

        @Override
        public void warmRestartState(String state) {
            warmRestartState = state;
        }

        @Override
        public void fatal(String reason) {
            startPhase = "warm restart failed: " + reason;
            LOG.error("{}; exiting with status 1 as SONiC's neighsyncd does", reason);
            System.setProperty(EXIT_STATUS_PROPERTY, "1");
            Thread stopper = new Thread(() -> {
                try {
                    context.getBundle(0).stop();
                } catch (BundleException | IllegalStateException e) {
                    LOG.error("cannot stop the framework after a fatal start error", e);
                }
            }, "neighsyncd-fatal-stop");
            stopper.start();
        }
    }

    /** Runs on the source's reader thread: hands everything to the engine thread. */
    private final class Handler implements NeighborEventHandler {
        @Override
        public void onDumpStarted() {
            long started = System.nanoTime();
            engine.submit(() -> {
                dumpStartedNanos = started;
                overflowsAtDumpStart = overflows.get();
                view.onDumpStarted();
            });
        }

        @Override
        public void onNeighbor(NeighborMessage message) {
            long read = System.nanoTime();
            engine.submit(() -> fromKernel(read, () -> view.onMessage(message)));
        }

        @Override
        public void onDumpCompleted() {
            engine.submit(SyncEngineComponent.this::onDumpCompleted);
        }

        @Override
        public void onLinkRemoved(int ifindex, String ifname) {
            counters.increment(Counters.LINKS_REMOVED);
            long read = System.nanoTime();
            engine.submit(() -> fromKernel(read, () -> view.onLinkRemoved(ifname)));
        }

        @Override
        public void onOverflow() {
            counters.increment(Counters.OVERFLOWS);
            overflows.incrementAndGet();
            if (!overflowUnrepaired) {
                LOG.warn("netlink overflow: kernel messages were lost; resyncing from a full dump");
            } else {
                LOG.debug("netlink overflow again before the resync completed; one more dump follows");
            }
            overflowUnrepaired = true;
            NeighborSource s;
            synchronized (sourceLock) {
                s = source;
            }
            if (s != null) {
                s.requestDump();
            }
        }
    }
}
