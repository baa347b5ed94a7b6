package net.neighsyncd.ha.internal;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.ha.Leadership;
import net.neighsyncd.api.ha.LeadershipStatus;
import net.neighsyncd.api.ha.LeaseStore;
import net.neighsyncd.api.ha.LeaseStoreException;
import net.neighsyncd.api.ha.Role;
import net.neighsyncd.api.ha.RoleListener;
import net.neighsyncd.api.ha.WriteFence;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.metrics.MeterSpec;
import net.neighsyncd.api.pipeline.PipelineServices;
import net.neighsyncd.api.pipeline.Pipelines;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two instances, one writer (PID {@value #PID}, docs/ha.md): keeps this instance's lease for one
 * pipeline in the {@link LeaseStore} of that pipeline's APPL_DB, and offers the pipeline its
 * {@link Leadership}, registered with the namespace, from activation until deactivation. A clean
 * stop releases the lease, so that the standby takes over at once. Without a configuration it
 * does not run, and the daemon is a single instance.
 */
@Component(service = {}, immediate = true, configurationPid = HighAvailability.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HighAvailability.Config.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"net.neighsyncd.api.ha.Leadership,"
        + "net.neighsyncd.api.health.HealthContributor,net.neighsyncd.api.metrics.MeterSource\"",
        uses = {Leadership.class, HealthContributor.class, MeterSource.class})
public final class HighAvailability implements Leadership, HealthContributor, MeterSource {
    static final String PID = "net.neighsyncd.ha";
    private static final Logger LOG = LoggerFactory.getLogger(HighAvailability.class);

    @ObjectClassDefinition(name = "neighsyncd high availability", description = "Two instances of neighsyncd on "
            + "one switch, one writer: the instance that holds the pipeline's lease in APPL_DB's Redis writes, "
            + "the other stands by and takes over when the lease ends. Set the engine's highAvailability on "
            + "both (net.neighsyncd.core), so that neither writes without the lease. The times depend on each "
            + "other: renewMillis at most a third of ttlMillis, takeoverDelayMillis below ttlMillis; a "
            + "configuration that breaks that is rejected and the last good one stays in force.")
    public @interface Config {
        @AttributeDefinition(name = "Network namespace", description = "The pipeline whose lease this is: its "
                + "namespace, empty for the host's.", required = false)
        String namespace() default "";

        @AttributeDefinition(name = "Lease time to live (ms)", description = "How long a lease lives after its "
                + "last renewal, in milliseconds; a standby takes over no earlier. Range 1000..600000.",
                min = "1000", max = "600000")
        long ttlMillis() default 3000;

        @AttributeDefinition(name = "Renewal interval (ms)", description = "How often the leader renews its "
                + "lease and a standby looks at it, in milliseconds; at most a third of the time to live. "
                + "A leader that has not renewed for the time to live less this interval steps down.",
                min = "100")
        long renewMillis() default 1000;

        @AttributeDefinition(name = "Takeover delay (ms)", description = "How long a standby waits, once it "
                + "has seen the lease gone, before taking it, in milliseconds; below the time to live.",
                min = "0")
        long takeoverDelayMillis() default 0;

        @AttributeDefinition(name = "Replication stream length (entries)", description = "About how many "
                + "changes the replication stream keeps (XADD MAXLEN ~); a standby further behind reads "
                + "NEIGH_TABLE again. Range 1000..10000000.", min = "1000", max = "10000000")
        long streamMaxLength() default 100_000;
    }

    private final String instanceId = newInstanceId();
    private final PipelineServices<LeaseStore> stores = new PipelineServices<>();
    private final List<RoleListener> listeners = new CopyOnWriteArrayList<>();
    private final Object wake = new Object();
    /** Guarded by {@link #wake}: a look was asked for since the lease thread last waited. */
    private boolean wakeRequested;
    private volatile String namespace = Pipelines.HOST;
    private volatile long streamMaxLength;
    private volatile String rejected;
    private volatile OptionalLong streamLag = OptionalLong.empty();
    private volatile Optional<String> leader = Optional.empty();
    private LeaseKeeper keeper;
    private ExecutorService notifier;
    private Thread thread;
    private volatile boolean running;
    private ServiceRegistration<?> registration;
    /** The role listeners were last told of. */
    private Role announced;

    @Activate
    void activate(BundleContext context, Config config) {
        LeaseSettings settings = settingsOrDefaults(config);
        namespace = config.namespace().trim();
        keeper = new LeaseKeeper(new SelectedStore(), instanceId, settings, System::currentTimeMillis);
        notifier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "neighsyncd-leadership[" + Pipelines.display(namespace) + "]");
            t.setDaemon(true);
            return t;
        });
        running = true;
        thread = new Thread(this::run, "neighsyncd-lease[" + Pipelines.display(namespace) + "]");
        thread.setDaemon(true);
        thread.start();
        if (context != null) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(Pipelines.NAMESPACE_PROPERTY, namespace);
            registration = context.registerService(new String[] {Leadership.class.getName(),
                HealthContributor.class.getName(), MeterSource.class.getName()}, this, p);
        }
        LOG.info("high availability for {}: instance {}, {}", Pipelines.display(namespace), instanceId, settings);
    }

    @Modified
    void modified(Config config) {
        if (!config.namespace().trim().equals(namespace)) {
            LOG.error("configuration {} rejected: the namespace cannot change while it runs ({} -> {}); the last good "
                    + "configuration stays in force", PID, Pipelines.display(namespace), config.namespace());
            rejected = "namespace cannot change while it runs";
            return;
        }
        try {
            LeaseSettings next = settings(config);
            keeper.settings(next);
            rejected = null;
            LOG.info("high availability reconfigured: {}", next);
        } catch (IllegalArgumentException e) {
            rejected = e.getMessage();
            LOG.error("configuration {} rejected, the last good configuration stays in force: {}", PID, e.getMessage());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        // the engine holds its writes before the lease goes, so that none goes out after it
        boolean wasLeader = keeper.stepAside();
        announce();
        try {
            notifier.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("role listeners did not take the step-down within 10 s; releasing the lease anyway");
        }
        if (wasLeader) {
            keeper.releaseLease();
        }
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        notifier.shutdown();
        notifier.awaitTermination(10, TimeUnit.SECONDS);
    }

    private LeaseSettings settingsOrDefaults(Config config) {
        try {
            return settings(config);
        } catch (IllegalArgumentException e) {
            rejected = e.getMessage();
            LOG.error("configuration {} rejected, the defaults are in force: {}", PID, e.getMessage());
            streamMaxLength = 100_000;
            return new LeaseSettings(3000, 1000, 0);
        }
    }

    /**
     * The lease settings of {@code config}, its stream length taken only when every value holds.
     *
     * @throws IllegalArgumentException naming every problem
     */
    private LeaseSettings settings(Config config) {
        java.util.List<String> problems = new ArrayList<>();
        if (config.streamMaxLength() < 1000 || config.streamMaxLength() > 10_000_000) {
            problems.add("streamMaxLength=" + config.streamMaxLength() + " is outside 1000..10000000");
        }
        LeaseSettings s = null;
        try {
            s = new LeaseSettings(config.ttlMillis(), config.renewMillis(), config.takeoverDelayMillis());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        streamMaxLength = config.streamMaxLength();
        return s;
    }

    LeaseKeeper keeper() {
        return keeper;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, updated = "updatedStore")
    void bindStore(LeaseStore store, Map<String, Object> properties) {
        stores.bind(store, properties);
        wake();
    }

    void updatedStore(LeaseStore store, Map<String, Object> properties) {
        stores.bind(store, properties);
        wake();
    }

    /** The lease thread looks now rather than at its next interval (a store came, a write was fenced). */
    private void wake() {
        synchronized (wake) {
            wakeRequested = true;
            wake.notifyAll();
        }
    }

    /**
     * The store is going (the APPL_DB sink stops, the daemon stops): a leader releases its lease
     * while it still can, so that the standby need not wait for it to end.
     */
    void unbindStore(LeaseStore store) {
        if (stores.of(namespace).orElse(null) == store && keeper != null && keeper.role() == Role.LEADER) {
            keeper.release();
            announce();
        }
        stores.unbind(store);
    }

    private void run() {
        while (running) {
            try {
                keeper.tick();
                announce();
                refreshStatus();
            } catch (RuntimeException e) {
                // the lease thread must outlive any failure: a dead one would keep a leader writing past its lease
                LOG.warn("lease step failed; trying again", e);
            }
            synchronized (wake) {
                try {
                    if (!wakeRequested) {
                        wake.wait(keeper.settings().renewMillis());
                    }
                    wakeRequested = false;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Tells the listeners of a role they have not been told of yet, in order, on the notifier thread. */
    private void announce() {
        synchronized (listeners) {
            Role now = keeper.role();
            if (now == announced) {
                return;
            }
            announced = now;
            for (RoleListener l : listeners) {
                notifier.execute(() -> tell(l, now));
            }
        }
    }

    private static void tell(RoleListener l, Role role) {
        try {
            l.roleChanged(role);
        } catch (RuntimeException e) {
            LOG.warn("role listener {} failed", l.getClass().getName(), e);
        }
    }

    private void refreshStatus() {
        LeaseStore store = stores.of(namespace).orElse(null);
        if (store == null) {
            streamLag = OptionalLong.empty();
            leader = Optional.empty();
            return;
        }
        try {
            streamLag = store.streamLag(instanceId);
            leader = store.holder();
        } catch (LeaseStoreException | RuntimeException e) {
            streamLag = OptionalLong.empty();
            leader = Optional.empty();
        }
    }

    @Override
    public Role role() {
        return keeper.role();
    }

    @Override
    public Optional<WriteFence> fence() {
        OptionalLong token = keeper.token();
        return token.isPresent() ? Optional.of(new WriteFence(token.getAsLong(), streamMaxLength)) : Optional.empty();
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public void fenced(long token) {
        if (keeper.fenced(token)) {
            wake();
        }
    }

    @Override
    public AutoCloseable follow(RoleListener listener) {
        synchronized (listeners) {
            listeners.add(listener);
            Role now = announced != null ? announced : keeper.role();
            notifier.execute(() -> tell(listener, now));
        }
        return () -> listeners.remove(listener);
    }

    @Override
    public LeadershipStatus status() {
        return new LeadershipStatus(keeper.role(), instanceId, leader, keeper.token(), keeper.leaseAgeMillis(),
                streamLag, keeper.takeovers(), keeper.stepDowns());
    }

    @Override
    public Set<Problem> problems() {
        Set<Problem> p = new java.util.TreeSet<>();
        String why = rejected;
        if (why != null) {
            p.add(Problem.degraded(PID, "configuration rejected, the last good one is in force: " + why));
        }
        String unreachable = keeper.lastProblem();
        if (unreachable != null) {
            p.add(Problem.degraded(PID, "the lease cannot be kept: " + unreachable));
        }
        return p;
    }

    @Override
    public List<MeterSpec> meters() {
        List<MeterSpec> m = new ArrayList<>();
        m.add(MeterSpec.gauge("neighsyncd.ha.leader", null, "1 while this instance holds the lease and writes, "
                + "0 while it stands by", Map.of(), () -> keeper.role() == Role.LEADER ? 1 : 0));
        m.add(MeterSpec.gauge("neighsyncd.ha.fencing.token", null, "The fencing token of this instance's tenure "
                + "(0 while it stands by)", Map.of(), () -> keeper.token().orElse(0)));
        m.add(MeterSpec.gauge("neighsyncd.ha.lease.age", "seconds", "Time since the leader last renewed its lease "
                + "(0 while standing by)", Map.of(), () -> keeper.leaseAgeMillis().orElse(0) / 1000.0));
        m.add(MeterSpec.gauge("neighsyncd.ha.stream.lag", null, "Replication stream entries this instance has "
                + "not read yet (-1: unknown)", Map.of(), () -> streamLag.orElse(-1)));
        m.add(MeterSpec.counter("neighsyncd.ha.takeovers", "Times this instance took the lease", Map.of(),
                keeper::takeovers));
        m.add(MeterSpec.counter("neighsyncd.ha.stepdowns", "Times this instance lost the lease (refused or late "
                + "renewal, fenced write)", Map.of(), keeper::stepDowns));
        return m;
    }

    /** {@code host:pid:random}: unique per start, and says where an instance runs. */
    private static String newInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The lease store of this pipeline, chosen at each call; failing while the APPL_DB sink has none. */
    private final class SelectedStore implements LeaseStore {
        private LeaseStore store() throws LeaseStoreException {
            return stores.of(namespace).orElseThrow(() -> new LeaseStoreException("no APPL_DB sink offers the "
                    + "lease of " + Pipelines.display(namespace) + " yet", null));
        }

        @Override
        public OptionalLong acquire(String holder, long ttlMillis) throws LeaseStoreException {
            return store().acquire(holder, ttlMillis);
        }

        @Override
        public boolean renew(String holder, long ttlMillis) throws LeaseStoreException {
            return store().renew(holder, ttlMillis);
        }

        @Override
        public boolean release(String holder) throws LeaseStoreException {
            return store().release(holder);
        }

        @Override
        public Optional<String> holder() throws LeaseStoreException {
            return store().holder();
        }

        @Override
        public OptionalLong streamLag(String group) throws LeaseStoreException {
            return store().streamLag(group);
        }
    }
}
