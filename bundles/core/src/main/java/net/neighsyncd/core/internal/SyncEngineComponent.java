package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.neighsyncd.api.engine.EngineHealth;
import net.neighsyncd.api.engine.NeighborChangeListener;
import net.neighsyncd.api.engine.NeighborEventHandler;
import net.neighsyncd.api.engine.NeighborFilter;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.engine.NeighborSource;
import net.neighsyncd.api.engine.ReconcilableSink;
import net.neighsyncd.api.engine.StartState;
import net.neighsyncd.api.engine.SwitchModesSource;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfResolver;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.process.ProcessControl;
import net.neighsyncd.api.warmrestart.KernelRestore;
import net.neighsyncd.api.profiling.StageHistogram;
import net.neighsyncd.api.profiling.StageTimings;
import net.neighsyncd.api.tracing.BatchTracer;
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
 * views, so none of that ever restarts the core. As {@link StageTimings} it publishes the
 * latencies of its rules and diff stages.
 */
@Component(service = {SyncEngine.class, StageTimings.class}, immediate = true, configurationPid = SyncEngineComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EngineConfig.class)
public final class SyncEngineComponent implements SyncEngine, StageTimings {
    static final String PID = "net.neighsyncd.core";
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngineComponent.class);

    private final EngineTally tally = new EngineTally();
    private final WriterTally applDbTally = new WriterTally();
    private final OtherSinks otherSinks = new OtherSinks();
    private final List<NeighborChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final List<HealthContributor> health = new CopyOnWriteArrayList<>();
    private final RankedFilters filters = new RankedFilters();
    private final AtomicBoolean initialSyncDone = new AtomicBoolean();
    private final Object sourceLock = new Object();
    private final OverflowTracker overflow = new OverflowTracker();
    private final HealthAssessor assessor = new HealthAssessor(PID);
    private final ConfigGate config = new ConfigGate(PID, this::kernelRestoreTimeoutSeconds, tally.configRejected);
    private final FatalStop fatal = new FatalStop(this::processControl);
    private volatile KernelRestore kernelRestore;
    /** The warm start is about to wait for the restore flag: a missing KernelRestore now means SONiC's. */
    private volatile boolean restoreBoundSettled;
    private volatile ProcessControl processControl;
    /** Told of every batch each writer wrote; null while none is bound. Guarded by {@code sourceLock}. */
    private BatchTracer tracer;
    private EngineThread engine;
    private NeighborView view;
    private SinkWriter applDbWriter;
    private StatusAssembler statusAssembler;
    private NeighborSink applDbSink;
    private NeighborSource source;
    private AutoCloseable sourceSubscription;
    private SwitchModesSource modesSource;
    /** The VRF manager's bindings, when one runs: read per query, never per message. */
    private volatile VrfResolver vrfResolver;
    private AutoCloseable modesWatch;
    private boolean firstDumpSeen;
    /** Engine thread: when the kernel message being handled was read (queued), 0 outside one. */
    private long readNanos;
    private volatile boolean active;
    private StartCoordinator coordinator;
    private volatile String startPhase = "start: waiting for the APPL_DB sink";
    /** What this start wrote last to the warm-restart table; null until the start has decided. */
    private volatile StartState startState;
    /** When the running dump started (engine thread only); 0 when none runs. */
    private long dumpStartedNanos;
    private volatile long lastDumpMicros = -1;
    private volatile CountDownLatch appliedLoaded = new CountDownLatch(1);

    private EngineSettings settings() {
        return config.settings();
    }

    @Activate
    void activate(EngineConfig offered) {
        config.offer(offered);
        EngineSettings settings = settings();
        engine = new EngineThread("neighsyncd-engine", settings.eventQueueCapacity());
        view = new NeighborView(this::emit, tally);
        view.setStaleCleanup(settings.staleCleanup());
        view.setPolicy(settings.policy());
        // nothing is written before the start is known to be cold or warm
        view.hold();
        applDbWriter = new SinkWriter("APPL_DB", settings.writer(), applDbTally, this::notifyListeners,
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
        statusAssembler = new StatusAssembler(engine, view, tally, applDbWriter, applDbTally);
        engine.start();
        active = true;
        synchronized (sourceLock) {
            applDbWriter.tracer(tracer);
            applDbWriter.sink(applDbSink);
            if (applDbSink != null) {
                startCoordinator(applDbSink);
            }
            otherSinks.startAll();
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
    void modified(EngineConfig offered) {
        int capacity = settings().eventQueueCapacity();
        config.offer(offered).ifPresent(this::takeSettings);
        if (settings().eventQueueCapacity() != capacity) {
            LOG.info("{}: eventQueueCapacity={} takes effect at the next activation", PID,
                    settings().eventQueueCapacity());
        }
    }

    /** New settings in force: the writers and the views take them. */
    private void takeSettings(EngineSettings settings) {
        applDbWriter.settings(settings.writer());
        boolean cleanup = settings.staleCleanup();
        RulesPolicy policy = settings.policy();
        engine.submit(() -> {
            view.setStaleCleanup(cleanup);
            view.setPolicy(policy);
        });
        otherSinks.settings(settings.writer());
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
        EngineSettings settings = settings();
        engine.stop(settings.stopFlushMillis(), TimeUnit.MILLISECONDS);
        // a read-back handed to the engine after it stopped is never taken
        applDbWriter.stopWaitingForLoad();
        if (!applDbWriter.flush(settings.stopFlushMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("stopping with {} changes not yet written to APPL_DB (sink unavailable)",
                    applDbWriter.pending());
        }
        applDbWriter.stop();
        otherSinks.flushAndStop(settings.stopFlushMillis());
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
            SinkWriter w = otherSinks.add(sink, sink.getClass().getName() + "#" + props.get("service.id"),
                    settings().writer());
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
            w = otherSinks.remove(sink);
        }
        if (w != null) {
            w.stop();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedFilter")
    void bindFilter(NeighborFilter f, Map<String, Object> props) {
        filters.put(f, props);
        if (active) {
            engine.submit(this::refreshFilters);
        }
    }

    /** A filter's service properties changed (its ranking, or a new configuration): re-derive. */
    void updatedFilter(NeighborFilter f, Map<String, Object> props) {
        bindFilter(f, props);
    }

    void unbindFilter(NeighborFilter f) {
        filters.remove(f);
        if (active) {
            engine.submit(this::refreshFilters);
        }
    }

    /** A tracer (the tracing bundle's while an endpoint is configured): every writer tells it of its batches. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTracer(BatchTracer t) {
        synchronized (sourceLock) {
            handTracer(t);
        }
    }

    void unbindTracer(BatchTracer t) {
        synchronized (sourceLock) {
            if (tracer == t) {
                handTracer(null);
            }
        }
    }

    /** Caller holds {@code sourceLock}. */
    private void handTracer(BatchTracer t) {
        tracer = t;
        if (applDbWriter != null) {
            applDbWriter.tracer(t);
        }
        otherSinks.tracer(t);
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
        long last = lastDumpMicros;
        return statusAssembler.status(health(), Optional.ofNullable(startState),
                last < 0 ? OptionalLong.empty() : OptionalLong.of(last), otherSinks.tallies());
    }

    @Override
    public List<StageHistogram> stages() {
        return tally.stages();
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

    @Override
    public Map<String, Integer> neighborsByVrf() {
        Map<String, Integer> byInterface = new HashMap<>();
        boolean answered;
        try {
            answered = engine.runAndWait(() -> byInterface.putAll(view.appliedByInterface()), 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        if (!answered) {
            return Map.of();
        }
        VrfResolver r = vrfResolver;
        VrfBindings vrfs = r == null ? VrfBindings.NONE : r.current();
        Map<String, Integer> byVrf = new TreeMap<>();
        byInterface.forEach((ifname, n) -> byVrf.merge(vrfs.vrfOf(ifname), n, Integer::sum));
        return byVrf;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindVrfResolver(VrfResolver r) {
        vrfResolver = r;
    }

    void unbindVrfResolver(VrfResolver r) {
        if (vrfResolver == r) {
            vrfResolver = null;
        }
    }

    // ---- internals --------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindKernelRestore(KernelRestore restore) {
        kernelRestore = restore;
        if (active) {
            config.recheck().ifPresent(this::takeSettings);
        }
    }

    void unbindKernelRestore(KernelRestore restore) {
        if (kernelRestore == restore) {
            kernelRestore = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProcessControl(ProcessControl p) {
        processControl = p;
    }

    private ProcessControl processControl() {
        return processControl;
    }

    void unbindProcessControl(ProcessControl p) {
        if (processControl == p) {
            processControl = null;
        }
    }

    /**
     * The kernel restore's bound, which the wait for its flag must exceed: the configured built-in
     * restore's; without one, SONiC's restore_neighbors.py's once the warm start is about to wait
     * (the service may still come until then: a bundle starting later is no reason to reject);
     * empty while it is not known.
     */
    private OptionalInt kernelRestoreTimeoutSeconds() {
        KernelRestore r = kernelRestore;
        if (r != null) {
            return OptionalInt.of(r.timeoutSeconds());
        }
        return restoreBoundSettled ? OptionalInt.of(KernelRestore.SONIC_TIMEOUT_SECONDS) : OptionalInt.empty();
    }

    /** Once per activation, with the first APPL_DB sink; caller holds {@code sourceLock}. */
    private void startCoordinator(NeighborSink sink) {
        if (coordinator != null) {
            return;
        }
        coordinator = new StartCoordinator(new StartHooks(), settings().writer().retryInitialMillis());
        coordinator.start(sink);
    }

    private EngineHealth health() {
        boolean sourceBound;
        boolean applDbBound;
        synchronized (sourceLock) {
            sourceBound = source != null;
            applDbBound = applDbSink != null;
        }
        return assessor.assess(new HealthAssessor.Facts(Optional.ofNullable(startPhase), sourceBound, applDbBound,
                overflow.unrepaired(), applDbWriter.failing(), config.problem(), fatal.reason(),
                initialSyncDone.get()), health);
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
        view.setFilters(filters.ordered());
    }

    private void emit(NeighborChange change) {
        long read = readNanos;
        applDbWriter.offer(change, read);
        otherSinks.offer(change, read);
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
        tally.dumpsCompleted.increment();
        if (dumpStartedNanos != 0) {
            long micros = Math.max(0, (System.nanoTime() - dumpStartedNanos) / 1_000);
            tally.dumpsTimed.increment();
            tally.dumpMicros.add(micros);
            lastDumpMicros = micros;
            dumpStartedNanos = 0;
        }
        if (overflow.dumpCompleted()) {
            tally.resyncsAfterOverflow.increment();
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
        public long restoreWaitSeconds() {
            restoreBoundSettled = true;
            config.recheck().ifPresent(SyncEngineComponent.this::takeSettings);
            return settings().restoreWaitSeconds();
        }

        @Override
        public boolean staleCleanup() {
            return settings().staleCleanup();
        }

        @Override
        public void phase(String phase) {
            startPhase = phase;
        }

        @Override
        public void warmRestartState(StartState state) {
            startState = state;
        }

        @Override
        public void fatal(String reason) {
            startPhase = "warm restart failed: " + reason;
            fatal.fail("warm restart failed: " + reason);
        }
    }

    /** Runs on the source's reader thread: hands everything to the engine thread. */
    private final class Handler implements NeighborEventHandler {
        @Override
        public void onDumpStarted() {
            long started = System.nanoTime();
            engine.submit(() -> {
                dumpStartedNanos = started;
                overflow.dumpStarted();
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
            tally.linksRemoved.increment();
            long read = System.nanoTime();
            engine.submit(() -> fromKernel(read, () -> view.onLinkRemoved(ifname)));
        }

        @Override
        public void onOverflow() {
            tally.overflows.increment();
            if (overflow.overflowed()) {
                LOG.warn("netlink overflow: kernel messages were lost; resyncing from a full dump");
            } else {
                LOG.debug("netlink overflow again before the resync completed; one more dump follows");
            }
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
