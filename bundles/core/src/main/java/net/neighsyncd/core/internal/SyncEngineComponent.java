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
import net.neighsyncd.api.engine.NeighborEntry;
import net.neighsyncd.api.engine.NeighborExplanation;
import net.neighsyncd.api.engine.ResyncProgress;
import net.neighsyncd.api.engine.NeighborEventHandler;
import net.neighsyncd.api.engine.NeighborQuery;
import net.neighsyncd.api.engine.NeighborFilter;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.engine.NeighborSource;
import net.neighsyncd.api.engine.ReconcilableSink;
import net.neighsyncd.api.ha.Leadership;
import net.neighsyncd.api.engine.StartState;
import net.neighsyncd.api.engine.SwitchModesSource;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfPolicySource;
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
import net.neighsyncd.api.pipeline.Pipelines;
import net.neighsyncd.api.watch.ChangeFeed;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.WatchPosition;
import net.neighsyncd.api.watch.WatchSnapshot;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync core as a DS component. Sources, sinks, filters, listeners and the switch modes are
 * all dynamic references: any of them may come, go or be replaced while the engine keeps its
 * views, so none of that ever restarts the core. As {@link StageTimings} it publishes the
 * latencies of its rules and diff stages.
 *
 * <p>One engine per pipeline: it takes its pipeline's configuration ({@link Pipelines#FACTORY_PID})
 * after its own PID, serves the namespace it names, registers its services with that namespace,
 * and of the sources, sinks, switch modes, VRF resolvers and health contributors every pipeline
 * offers, uses those of its namespace (a health contributor without a namespace counts for every
 * pipeline).
 */
@Component(service = {}, immediate = true, configurationPid = {SyncEngineComponent.PID, Pipelines.FACTORY_PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"net.neighsyncd.api.engine.SyncEngine,"
        + "net.neighsyncd.api.profiling.StageTimings,net.neighsyncd.api.watch.NeighborWatch\"",
        uses = {SyncEngine.class, StageTimings.class, NeighborWatch.class})
public final class SyncEngineComponent implements SyncEngine, StageTimings, NeighborWatch {
    static final String PID = "net.neighsyncd.core";
    /** The namespace of a health contributor that names none: it counts for every pipeline. */
    private static final String ANY_NAMESPACE = new String("*any*");
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngineComponent.class);

    private final EngineTally tally = new EngineTally();
    private final WriterTally applDbTally = new WriterTally();
    private final OtherSinks otherSinks = new OtherSinks();
    private final List<NeighborChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<HealthContributor, String> health = new java.util.concurrent.ConcurrentHashMap<>();
    private final PipelineCandidates<NeighborSource> sources = new PipelineCandidates<>();
    private final PipelineCandidates<NeighborSink> applDbSinks = new PipelineCandidates<>();
    private final PipelineCandidates<NeighborSink> otherSinkOffers = new PipelineCandidates<>();
    private final Map<NeighborSink, Map<String, Object>> otherSinkProperties = new java.util.concurrent.ConcurrentHashMap<>();
    private final PipelineCandidates<SwitchModesSource> modesSources = new PipelineCandidates<>();
    private final PipelineCandidates<VrfResolver> vrfResolvers = new PipelineCandidates<>();
    private final PipelineCandidates<Leadership> leaderships = new PipelineCandidates<>();
    /** This pipeline's leadership and its role; guarded by {@code sourceLock} (see {@link WriteGate}). */
    private final WriteGate gate = new WriteGate();
    /** The namespace of this engine's pipeline; guarded by {@code sourceLock}. */
    private volatile String namespace = Pipelines.HOST;
    private org.osgi.framework.ServiceRegistration<?> registration;
    private BundleContext context;
    private final RankedFilters filters = new RankedFilters();
    private final AtomicBoolean initialSyncDone = new AtomicBoolean();
    private final Object sourceLock = new Object();
    /** Made anew at each start, as the other per-start state below. */
    private volatile OverflowTracker overflow = new OverflowTracker();
    private final HealthAssessor assessor = new HealthAssessor(PID);
    private final ConfigGate config = new ConfigGate(PID, this::kernelRestoreTimeoutSeconds, tally.configRejected);
    private final FatalStop fatal = new FatalStop(this::processControl, this::otherPipelinesRunning);
    private volatile KernelRestore kernelRestore;
    /** The warm start is about to wait for the restore flag: a missing KernelRestore now means SONiC's. */
    private volatile boolean restoreBoundSettled;
    private volatile ProcessControl processControl;
    /** Told of every batch each writer wrote; null while none is bound. Guarded by {@code sourceLock}. */
    private BatchTracer tracer;
    private EngineThread engine;
    /** The applied table's history of this start. */
    private volatile AppliedWatch watch;
    /** The resyncs requested, numbered over every start of this component. */
    private final ResyncTracker resyncs = new ResyncTracker();
    private NeighborView view;
    private SinkWriter applDbWriter;
    private StatusAssembler statusAssembler;
    private NeighborSink applDbSink;
    private NeighborSource source;
    private AutoCloseable sourceSubscription;
    private SwitchModesSource modesSource;
    /** The VRF manager's bindings, when one runs: read per query, never per message. */
    private volatile VrfResolver vrfResolver;
    /** The VRF manager's policies, when one runs. Guarded by {@code vrfLock}. */
    private VrfPolicySource vrfPolicySource;
    private AutoCloseable vrfResolverWatch;
    private AutoCloseable vrfPolicyWatch;
    /** What the view's VRF policies were last made of; guarded by {@code vrfLock}. */
    private VrfPolicyLookup vrfLookup = VrfPolicyLookup.NONE;
    private final Object vrfLock = new Object();
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
    void activate(BundleContext context, EngineConfig offered, Map<String, Object> properties) {
        namespace = namespaceOf(properties);
        this.context = context;
        start(offered);
        if (context != null) {
            registration = context.registerService(new String[] {SyncEngine.class.getName(),
                StageTimings.class.getName(), NeighborWatch.class.getName()}, this, serviceProperties());
        }
    }

    /** Whether another pipeline's engine runs beside this one: registered, and not failed itself. */
    private boolean otherPipelinesRunning() {
        BundleContext c = context;
        org.osgi.framework.ServiceRegistration<?> own = registration;
        if (c == null) {
            return false;
        }
        try {
            for (org.osgi.framework.ServiceReference<SyncEngine> r : c.getServiceReferences(SyncEngine.class, null)) {
                if (own != null && r.equals(own.getReference())) {
                    continue;
                }
                SyncEngine other = c.getService(r);
                try {
                    if (other != null && other.status().health().alive()) {
                        return true;
                    }
                } finally {
                    c.ungetService(r);
                }
            }
            return false;
        } catch (org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
            return false;
        }
    }

    /** The namespace a configuration names: its {@code namespace} key, the host's when empty. */
    static String namespaceOf(Map<String, Object> properties) {
        Object ns = properties == null ? null : properties.get("namespace");
        return ns == null ? Pipelines.HOST : ns.toString().trim();
    }

    private java.util.Dictionary<String, Object> serviceProperties() {
        java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();
        p.put(Pipelines.NAMESPACE_PROPERTY, namespace);
        p.put("service.description", "neighsyncd sync engine (" + Pipelines.display(namespace) + ")");
        return p;
    }

    /**
     * Starts the engine of {@link #namespace} without registering it (what a unit test calls). Not
     * named {@code activate}: DS would prefer a one-argument activate method to the one above.
     */
    void start(EngineConfig offered) {
        // per-start state (a namespace change starts the engine again)
        initialSyncDone.set(false);
        firstDumpSeen = false;
        startState = null;
        startPhase = "start: waiting for the APPL_DB sink";
        lastDumpMicros = -1;
        dumpStartedNanos = 0;
        appliedLoaded = new CountDownLatch(1);
        overflow = new OverflowTracker();
        coordinator = null;
        config.offer(offered);
        gate.reset(settings().highAvailability());
        EngineSettings settings = settings();
        String suffix = namespace.isEmpty() ? "" : "[" + namespace + "]";
        AppliedWatch w = new AppliedWatch(new ChangeJournal(java.util.UUID.randomUUID().toString(),
                settings.watchHistory()), () -> engine, () -> view, this::vrfBindings);
        watch = w;
        engine = new EngineThread("neighsyncd-engine" + suffix, settings.eventQueueCapacity(), w::takeAcknowledged);
        view = new NeighborView(this::emit, tally);
        view.setStaleCleanup(settings.staleCleanup());
        view.setPolicy(settings.policy());
        // nothing is written before the start is known to be cold or warm
        view.hold();
        applDbWriter = new SinkWriter("APPL_DB", settings.writer(), applDbTally, applied -> {
            w.acknowledged(applied);
            notifyListeners(applied);
        },
                read -> engine.submit(() -> {
                    try {
                        w.reloaded(read.stored());
                        view.reloadApplied(read.withWaitingChanges());
                        releaseViewsAfterTakeover();
                    } finally {
                        read.loaded();
                    }
                    appliedLoaded.countDown();
                }));
        applDbWriter.hold();
        applDbWriter.threadLabel("APPL_DB" + suffix);
        applDbWriter.start();
        statusAssembler = new StatusAssembler(engine, view, tally, applDbWriter, applDbTally);
        engine.start();
        active = true;
        synchronized (vrfLock) {
            VrfPolicyLookup current = vrfLookup;
            engine.submit(() -> view.setVrfPolicies(current));
        }
        synchronized (sourceLock) {
            source = sources.pick(namespace);
            applDbSink = applDbSinks.pick(namespace);
            modesSource = modesSources.pick(namespace);
            reselectLeadership();
            if (!gate.open()) {
                LOG.info("standby for {}: holding writes until this instance leads", Pipelines.display(namespace));
                startPhase = WriteGate.STANDBY_PHASE;
            }
            followVrfs();
            refreshOtherSinks();
            applDbWriter.tracer(tracer);
            applDbWriter.sink(applDbSink);
            if (applDbSink != null) {
                startCoordinator(applDbSink);
            }
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
    void modified(EngineConfig offered, Map<String, Object> properties) throws InterruptedException {
        String next = namespaceOf(properties);
        if (!next.equals(namespace)) {
            // another namespace is another pipeline: its own start (cold or warm, by its STATE_DB),
            // its own views; the engine stops and starts again, registered anew
            LOG.info("{}: pipeline moved from namespace {} to {}: its engine starts again for it", PID,
                    Pipelines.display(namespace), Pipelines.display(next));
            BundleContext c = context;
            deactivate();
            activate(c, offered, properties);
            return;
        }
        reconfigure(offered);
    }

    /** Takes new settings (what a unit test calls; not {@code modified}, which DS would prefer). */
    void reconfigure(EngineConfig offered) {
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
        synchronized (sourceLock) {
            if (gate.required(settings.highAvailability())) {
                gateChanged();
            }
        }
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
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
            registration = null;
        }
        active = false;
        if (coordinator != null) {
            coordinator.stop();
        }
        boolean standingBy;
        synchronized (sourceLock) {
            closeQuietly(sourceSubscription);
            sourceSubscription = null;
            closeQuietly(modesWatch);
            modesWatch = null;
            closeQuietly(gate.follow(null));
            standingBy = !gate.open();
        }
        EngineSettings settings = settings();
        try {
            engine.stop(settings.stopFlushMillis(), TimeUnit.MILLISECONDS);
        } finally {
            // the start's history ends with its engine thread: followers are told even when the stop is cut short
            watch.stop();
            resyncs.engineStopped(java.time.Instant.now());
        }
        // a read-back handed to the engine after it stopped is never taken
        applDbWriter.stopWaitingForLoad();
        if (standingBy) {
            LOG.info("stopping as a standby: {} changes held back are not written", applDbWriter.pending());
        } else if (!applDbWriter.flush(settings.stopFlushMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("stopping with {} changes not yet written to APPL_DB (sink unavailable)",
                    applDbWriter.pending());
        }
        applDbWriter.stop();
        otherSinks.flushAndStop(settings.stopFlushMillis());
        LOG.info("sync engine stopped");
    }

    // ---- references -------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedSource")
    void bindSource(NeighborSource s, Map<String, Object> props) {
        sources.offer(s, props);
        reselectSourceIfActive();
    }

    /** A source's namespace changed: it may now be this pipeline's, or no longer. */
    void updatedSource(NeighborSource s, Map<String, Object> props) {
        bindSource(s, props);
    }

    void unbindSource(NeighborSource s) {
        sources.withdraw(s);
        reselectSourceIfActive();
    }

    private void reselectSourceIfActive() {
        synchronized (sourceLock) {
            if (active) {
                reselectSource();
            } else {
                source = sources.pick(namespace);
            }
        }
    }

    /** Caller holds {@code sourceLock}: subscribes to this pipeline's newest source when it is another. */
    private void reselectSource() {
        NeighborSource s = sources.pick(namespace);
        if (s == source) {
            return;
        }
        closeQuietly(sourceSubscription);
        sourceSubscription = null;
        NeighborSource old = source;
        source = s;
        if (s != null) {
            subscribe(s);
        } else if (old != null) {
            LOG.info("neighbor source of namespace {} gone; views kept until a source returns",
                    Pipelines.display(namespace));
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedSink")
    void bindSink(NeighborSink sink, Map<String, Object> props) throws InterruptedException {
        List<SinkWriter> stale = List.of();
        synchronized (sourceLock) {
            if (Boolean.parseBoolean(String.valueOf(props.get(NeighborSink.APPL_DB_PROPERTY)))) {
                applDbSinks.offer(sink, props);
                if (active) {
                    reselectApplDbSink();
                } else {
                    applDbSink = applDbSinks.pick(namespace);
                }
                return;
            }
            otherSinkOffers.offer(sink, props);
            otherSinkProperties.put(sink, props);
            if (active) {
                stale = refreshOtherSinks();
            }
        }
        stopAll(stale);
    }

    /** A sink's properties changed (its namespace): it may now be this pipeline's, or no longer. */
    void updatedSink(NeighborSink sink, Map<String, Object> props) throws InterruptedException {
        bindSink(sink, props);
    }

    void unbindSink(NeighborSink sink, Map<String, Object> props) throws InterruptedException {
        SinkWriter w;
        synchronized (sourceLock) {
            applDbSinks.withdraw(sink);
            otherSinkOffers.withdraw(sink);
            otherSinkProperties.remove(sink);
            if (sink == applDbSink) {
                reselectApplDbSink();
                return;
            }
            w = otherSinks.remove(sink);
        }
        if (w != null) {
            w.stop();
        }
    }

    /** Caller holds {@code sourceLock}: writes to this pipeline's newest APPL_DB sink when it is another. */
    private void reselectApplDbSink() {
        NeighborSink sink = applDbSinks.pick(namespace);
        if (sink == applDbSink) {
            return;
        }
        applDbSink = sink;
        if (applDbWriter != null) {
            applDbWriter.sink(sink);
        }
        if (sink == null) {
            LOG.info("APPL_DB sink of namespace {} gone; changes wait for it", Pipelines.display(namespace));
        } else if (active) {
            startCoordinator(sink);
        }
    }

    /**
     * Caller holds {@code sourceLock}: a writer for each other sink of this pipeline's namespace,
     * none for the others; returns the writers to stop once the lock is released. A new writer
     * starts with everything applied.
     */
    private List<SinkWriter> refreshOtherSinks() {
        List<NeighborSink> mine = otherSinkOffers.all(namespace);
        List<SinkWriter> stale = new ArrayList<>();
        for (NeighborSink gone : otherSinks.sinks()) {
            if (!mine.contains(gone)) {
                SinkWriter w = otherSinks.remove(gone);
                if (w != null) {
                    stale.add(w);
                }
            }
        }
        for (NeighborSink sink : mine) {
            if (otherSinks.sinks().contains(sink)) {
                continue;
            }
            Map<String, Object> props = otherSinkProperties.getOrDefault(sink, Map.of());
            SinkWriter w = otherSinks.add(sink, sink.getClass().getName() + "#" + props.get("service.id"),
                    settings().writer());
            if (active) {
                w.start();
                engine.submit(() -> view.appliedSnapshot().forEach(r -> w.offer(NeighborChange.set(r))));
            }
        }
        return stale;
    }

    private static void stopAll(List<SinkWriter> writers) throws InterruptedException {
        for (SinkWriter w : writers) {
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

    /** A contributor with a namespace counts for that pipeline's engine; one without, for every engine. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, updated = "updatedHealth")
    void bindHealth(HealthContributor h, Map<String, Object> props) {
        Object ns = props == null ? null : props.get(Pipelines.NAMESPACE_PROPERTY);
        health.put(h, ns == null ? ANY_NAMESPACE : ns.toString());
    }

    void updatedHealth(HealthContributor h, Map<String, Object> props) {
        bindHealth(h, props);
    }

    void unbindHealth(HealthContributor h) {
        health.remove(h);
    }

    /** The contributors that count for this pipeline. */
    private List<HealthContributor> myHealth() {
        String ns = namespace;
        List<HealthContributor> out = new ArrayList<>();
        health.forEach((h, of) -> {
            if (of == ANY_NAMESPACE || of.equals(ns)) {
                out.add(h);
            }
        });
        return out;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindListener(NeighborChangeListener l) {
        listeners.add(l);
    }

    void unbindListener(NeighborChangeListener l) {
        listeners.remove(l);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedModes")
    void bindModes(SwitchModesSource s, Map<String, Object> props) {
        modesSources.offer(s, props);
        synchronized (sourceLock) {
            if (active) {
                reselectModes();
            } else {
                modesSource = modesSources.pick(namespace);
            }
        }
    }

    void updatedModes(SwitchModesSource s, Map<String, Object> props) {
        bindModes(s, props);
    }

    void unbindModes(SwitchModesSource s) {
        modesSources.withdraw(s);
        synchronized (sourceLock) {
            if (active) {
                reselectModes();
            } else {
                modesSource = modesSources.pick(namespace);
            }
        }
    }

    /** Caller holds {@code sourceLock}: follows this pipeline's newest switch modes source when it is another. */
    private void reselectModes() {
        SwitchModesSource s = modesSources.pick(namespace);
        if (s == modesSource) {
            return;
        }
        closeQuietly(modesWatch);
        modesWatch = null;
        modesSource = s;
        if (s != null) {
            watchModes(s);
        } else {
            LOG.info("switch modes source of namespace {} gone; last modes stay in force", Pipelines.display(namespace));
        }
    }

    // ---- SyncEngine -------------------------------------------------------------------------

    @Override
    public void resync() {
        requestResync("operator");
    }

    @Override
    public ResyncProgress requestResync(String requester) {
        ResyncTracker tracker = resyncs;
        ResyncProgress asked = tracker.request(requester, System.nanoTime(), java.time.Instant.now());
        NeighborSource s;
        synchronized (sourceLock) {
            s = source;
        }
        if (s == null) {
            LOG.warn("resync {} requested by {} but no neighbor source is bound", asked.id(), requester);
            tracker.failed(asked.id());
            return tracker.get(asked.id(), 0, 0).orElse(asked);
        }
        LOG.info("resync {} requested by {}", asked.id(), requester);
        s.requestDump();
        return asked;
    }

    @Override
    public Optional<ResyncProgress> resyncProgress(long id) {
        return resyncs.get(id, tally.changesSet.sum(), tally.changesDelete.sum());
    }

    @Override
    public Optional<NeighborExplanation> explain(NeighborKey key) {
        NeighborExplanation[] found = new NeighborExplanation[1];
        String vrf = vrfBindings().vrfOf(key.ifname());
        try {
            if (!engine.runAndWait(() -> {
                watch.takeAcknowledged();
                found[0] = view.explain(key, vrf);
            }, 5, TimeUnit.SECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.ofNullable(found[0]);
    }

    @Override
    public SyncStatus status() {
        long last = lastDumpMicros;
        Leadership l;
        synchronized (sourceLock) {
            l = gate.leadership();
        }
        SyncStatus s = statusAssembler.status(health(), Optional.ofNullable(startState),
                last < 0 ? OptionalLong.empty() : OptionalLong.of(last), otherSinks.tallies());
        return l == null ? s : new SyncStatus(s.health(), s.counters(), s.gauges(), s.appDb(), s.otherSinks(),
                Optional.of(l.status()));
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
            engine.runAndWait(() -> out.addAll(view.appliedMatching(needle, max, ifname -> true)), 5,
                    TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    @Override
    public List<NeighborEntry> neighbors(NeighborQuery query) {
        String needle = query.text().toLowerCase(java.util.Locale.ROOT);
        VrfResolver r = vrfResolver;
        VrfBindings vrfs = r == null ? VrfBindings.NONE : r.current();
        String vrf = query.vrf();
        List<NeighborRecord> found = new ArrayList<>();
        try {
            engine.runAndWait(() -> found.addAll(view.appliedMatching(needle, query.limit(),
                    ifname -> vrf == null || vrf.equals(vrfs.vrfOf(ifname)))), 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<NeighborEntry> out = new ArrayList<>(found.size());
        for (NeighborRecord rec : found) {
            out.add(new NeighborEntry(rec, vrfs.vrfOf(rec.key().ifname())));
        }
        return out;
    }

    private VrfBindings vrfBindings() {
        VrfResolver r = vrfResolver;
        return r == null ? VrfBindings.NONE : r.current();
    }

    // ---- NeighborWatch: this start's -------------------------------------------------------

    @Override
    public WatchPosition position() {
        return watch.position();
    }

    @Override
    public Optional<WatchSnapshot> snapshot(NeighborSelector selector, NeighborKey after, int limit, long timeout,
            TimeUnit unit) {
        return watch.snapshot(selector, after, limit, timeout, unit);
    }

    @Override
    public ChangeFeed follow(WatchPosition from) {
        return watch.follow(from);
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedVrfResolver")
    void bindVrfResolver(VrfResolver r, Map<String, Object> props) {
        vrfResolvers.offer(r, props);
        followVrfs();
    }

    void updatedVrfResolver(VrfResolver r, Map<String, Object> props) {
        bindVrfResolver(r, props);
    }

    void unbindVrfResolver(VrfResolver r) {
        vrfResolvers.withdraw(r);
        followVrfs();
    }

    /** The VRF manager's policies (its configurations): the engine re-derives its entries under them. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindVrfPolicySource(VrfPolicySource p) {
        synchronized (vrfLock) {
            closeQuietly(vrfPolicyWatch);
            vrfPolicySource = p;
            vrfPolicyWatch = p.watch(changed -> refreshVrfPolicies());
        }
        refreshVrfPolicies();
    }

    void unbindVrfPolicySource(VrfPolicySource p) {
        synchronized (vrfLock) {
            if (vrfPolicySource != p) {
                return;
            }
            closeQuietly(vrfPolicyWatch);
            vrfPolicyWatch = null;
            vrfPolicySource = null;
        }
        refreshVrfPolicies();
    }

    /** Uses this pipeline's VRF resolver (the newest of its namespace) and follows its bindings. */
    private void followVrfs() {
        synchronized (vrfLock) {
            VrfResolver r = vrfResolvers.pick(namespace);
            if (r == vrfResolver) {
                return;
            }
            closeQuietly(vrfResolverWatch);
            vrfResolverWatch = r == null ? null : r.watch(bindings -> refreshVrfPolicies());
            vrfResolver = r;
        }
        refreshVrfPolicies();
    }

    /**
     * The view's VRF policy per interface, from the bindings and policies in force: handed to the
     * engine thread, which re-derives every entry, only when what it is made of changed.
     */
    private void refreshVrfPolicies() {
        VrfPolicyLookup next;
        synchronized (vrfLock) {
            VrfResolver r = vrfResolver;
            next = VrfPolicyLookup.of(r == null ? VrfBindings.NONE : r.current(), vrfPolicySource);
            if (next.sameAs(vrfLookup)) {
                return;
            }
            vrfLookup = next;
        }
        EngineThread e = engine;
        if (e != null && active) {
            e.submit(() -> view.setVrfPolicies(next));
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

    // ---- high availability -------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedLeadership")
    void bindLeadership(Leadership l, Map<String, Object> props) {
        synchronized (sourceLock) {
            leaderships.offer(l, props);
            if (active) {
                reselectLeadership();
            }
        }
    }

    void updatedLeadership(Leadership l, Map<String, Object> props) {
        bindLeadership(l, props);
    }

    void unbindLeadership(Leadership l) {
        synchronized (sourceLock) {
            leaderships.withdraw(l);
            if (active) {
                reselectLeadership();
            }
        }
    }

    /** Caller holds {@code sourceLock}: follows this pipeline's leadership, when it changed. */
    private void reselectLeadership() {
        Leadership next = leaderships.pick(namespace);
        if (next == gate.leadership()) {
            return;
        }
        closeQuietly(gate.follow(next));
        if (next == null) {
            LOG.info("no leadership for {}: {}", Pipelines.display(namespace), gate.required()
                    ? "standing by (highAvailability is on)" : "writing as a single instance");
        } else {
            gate.watch(next.follow(role -> {
                synchronized (sourceLock) {
                    if (gate.leadership() == next && gate.role(role)) {
                        gateChanged();
                    }
                }
            }));
        }
        gateChanged();
    }

    /**
     * Caller holds {@code sourceLock}: the gate may have opened or closed. Closing holds the writer
     * and the views (the outbox stays; a takeover reads the store back before it writes again).
     * Opening starts the start coordinator the first time; later, it reads the store back (from
     * the replication stream) and releases the views once that is loaded, so that the diff against
     * it writes only the keys that differ.
     */
    private void gateChanged() {
        if (!gate.settle() || applDbWriter == null) {
            return;
        }
        if (!gate.open()) {
            LOG.info("standby for {}: holding writes", Pipelines.display(namespace));
            startPhase = WriteGate.STANDBY_PHASE;
            applDbWriter.hold();
            engine.submit(view::hold);
            return;
        }
        LOG.info("writing APPL_DB for {}", Pipelines.display(namespace));
        if (coordinator == null) {
            startPhase = "start: waiting for the APPL_DB sink";
            if (applDbSink != null) {
                startCoordinator(applDbSink);
            }
            return;
        }
        startPhase = gate.viewsReleasedByStart() ? null : "start: resuming";
        if (!gate.writerReleasedByStart()) {
            return;
        }
        boolean readBack = applDbSink instanceof ReconcilableSink;
        if (gate.viewsReleasedByStart()) {
            engine.submit(() -> {
                if (readBack) {
                    releaseViewsAfterLoad = true;
                } else {
                    releaseHeldViews();
                }
            });
        }
        if (readBack) {
            applDbWriter.readBackNext();
        }
        applDbWriter.release();
    }

    /** Engine thread: set when a takeover's read-back must be loaded before the views are released. */
    private boolean releaseViewsAfterLoad;

    /** Engine thread, after a read-back was loaded. */
    private void releaseViewsAfterTakeover() {
        if (releaseViewsAfterLoad) {
            releaseViewsAfterLoad = false;
            releaseHeldViews();
        }
    }

    /**
     * Engine thread: one diff of everything against the applied view, with what the start had
     * asked. Takes no {@code sourceLock}: a thread holding it may be waiting for room in this
     * thread's queue.
     */
    private void releaseHeldViews() {
        if (!gate.open()) {
            return;
        }
        WriteGate.HeldViews held = gate.heldViews();
        view.release(held.unreadable());
        markInitialSyncWhenWritten();
        applDbWriter.whenIdle(held.onWritten());
    }

    /**
     * Once per activation, with the first APPL_DB sink, once this instance may write (a standby
     * starts nothing before it leads); caller holds {@code sourceLock}.
     */
    private void startCoordinator(NeighborSink sink) {
        if (coordinator != null) {
            return;
        }
        if (!gate.open()) {
            startPhase = WriteGate.STANDBY_PHASE;
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
                initialSyncDone.get()), myHealth());
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
        resyncs.dumpCompleted(java.time.Instant.now(), tally.changesSet.sum(), tally.changesDelete.sum());
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
            synchronized (sourceLock) {
                gate.startReleasedWriter();
                if (!gate.open()) {
                    return;
                }
            }
            applDbWriter.release();
        }

        @Override
        public boolean awaitAppliedLoaded(long timeout, TimeUnit unit) throws InterruptedException {
            return appliedLoaded.await(timeout, unit);
        }

        @Override
        public void releaseViews(Set<NeighborKey> unreadable, Runnable onWritten) {
            synchronized (sourceLock) {
                gate.startReleasedViews(unreadable, onWritten);
                if (!gate.open()) {
                    return;
                }
            }
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
            synchronized (sourceLock) {
                if (gate.open()) {
                    startPhase = phase;
                }
            }
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
                resyncs.dumpStarted(started, java.time.Instant.now(), tally.changesSet.sum(),
                        tally.changesDelete.sum());
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
