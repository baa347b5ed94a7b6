package net.neighsyncd.netlink.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.pipeline.Pipelines;
import net.neighsyncd.api.profiling.StageHistogram;
import net.neighsyncd.api.profiling.StageTimings;
import net.neighsyncd.api.vrf.VrfBindingSource;
import net.neighsyncd.api.engine.NeighborEventHandler;
import net.neighsyncd.api.engine.NeighborSource;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel neighbor source of one network namespace, over rtnetlink.
 *
 * <p>The component registers its {@link NeighborSource} service itself (not through DS) so that
 * the service property {@value NeighborSource#NAMESPACE_PROPERTY} follows the configured
 * {@code namespace} when it changes; DS service properties could only mirror the configuration
 * key. Nothing runs until {@link #subscribe} starts the reader thread. Its counters are
 * published as a {@link MeterSource} service ({@link NetlinkMeters}) and the latencies of the
 * netlink read and the decode as a {@link StageTimings} service, both registered and unregistered
 * with the source.
 */
@Component(service = {}, immediate = true, configurationPid = {NetlinkNeighborSource.PID, Pipelines.FACTORY_PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"net.neighsyncd.api.engine.NeighborSource,net.neighsyncd.api.health.HealthContributor\"",
        uses = NeighborSource.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"net.neighsyncd.api.metrics.MeterSource\"",
        uses = MeterSource.class)
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"net.neighsyncd.api.profiling.StageTimings\"", uses = StageTimings.class)
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"net.neighsyncd.api.vrf.VrfBindingSource\"", uses = VrfBindingSource.class)
public final class NetlinkNeighborSource implements NeighborSource, HealthContributor {
    /** The configuration PID. */
    public static final String PID = "net.neighsyncd.netlink";
    static final int MIN_RECEIVE_BUFFER = 4096;
    static final int DEFAULT_RECEIVE_BUFFER = 16 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(NetlinkNeighborSource.class);

    @ObjectClassDefinition(id = PID, name = "neighsyncd netlink neighbor source",
            description = "Reads the kernel neighbor table (ARP/NDP) of one network namespace over rtnetlink: "
                    + "a full dump at start and on request, then live RTM_NEWNEIGH/RTM_DELNEIGH events.")
    public @interface Config {
        @AttributeDefinition(name = "Network namespace",
                description = "Name of the network namespace to watch, as it appears under /var/run/netns "
                        + "(for example asic0). Empty: the daemon's own namespace. A change restarts the reader, "
                        + "which dumps again.")
        String namespace() default "";

        @AttributeDefinition(name = "Receive buffer (bytes)",
                description = "Kernel receive buffer of the netlink event socket, in bytes (at least 4096; the "
                        + "kernel reports twice the value). Set with SO_RCVBUFFORCE, or SO_RCVBUF capped by "
                        + "net.core.rmem_max when that is refused. A change applies to the live socket.",
                min = "4096")
        int receiveBufferBytes() default DEFAULT_RECEIVE_BUFFER;
    }

    private final NetlinkCounters counters = new NetlinkCounters();
    private final Object lock = new Object();
    private final List<String> rejections = new ArrayList<>();
    private volatile Set<String> lastRejections = Set.of();
    private String pid = PID;
    private String namespace = "";
    private int receiveBufferBytes = DEFAULT_RECEIVE_BUFFER;
    private ServiceRegistration<?> registration;
    private ServiceRegistration<?> metersRegistration;
    private ServiceRegistration<?> stagesRegistration;
    private ServiceRegistration<?> vrfsRegistration;
    /** The kernel's VRFs as the reader's link cache shows them; kept across reader restarts. */
    private final KernelVrfBindings kernelVrfs = new KernelVrfBindings(PID);
    private Subscription subscription;

    /** For DS. */
    public NetlinkNeighborSource() {
    }

    /**
     * Starts the component: takes the configuration and registers the service ({@code context}
     * may be null outside a framework, then nothing is registered).
     */
    @Activate
    void activate(BundleContext context, Config config, Map<String, Object> properties) {
        synchronized (lock) {
            Object servicePid = properties == null ? null : properties.get("service.pid");
            pid = servicePid != null ? servicePid.toString() : PID;
            applyConfig(config);
            if (context != null) {
                registration = context.registerService(new String[] {NeighborSource.class.getName(),
                    HealthContributor.class.getName()}, this, serviceProperties());
                metersRegistration = context.registerService(MeterSource.class, new NetlinkMeters(counters),
                        namespaced("neighsyncd netlink meters"));
                StageTimings stages = this::stages;
                stagesRegistration = context.registerService(StageTimings.class, stages,
                        namespaced("neighsyncd netlink stage latencies"));
                vrfsRegistration = context.registerService(VrfBindingSource.class, kernelVrfs, vrfProperties());
            }
        }
    }

    @Modified
    void modified(Config config) {
        NetlinkReader toStop = null;
        NetlinkReader toStart = null;
        String oldNamespace;
        boolean moved;
        synchronized (lock) {
            oldNamespace = namespace;
            int oldBuffer = receiveBufferBytes;
            applyConfig(config);
            moved = !namespace.equals(oldNamespace);
            if (!moved && receiveBufferBytes != oldBuffer && subscription != null) {
                subscription.reader.setReceiveBuffer(receiveBufferBytes);
            }
        }
        if (!moved) {
            return;
        }
        LOG.info("{}: namespace changed from '{}' to '{}'", pid, oldNamespace, namespace);
        // the new properties first, outside the lock: a subscriber of the old namespace leaves
        // (its engine closes the subscription, which takes this lock) before the new reader reads
        setProperties(registration, serviceProperties());
        setProperties(vrfsRegistration, vrfProperties());
        setProperties(metersRegistration, namespaced("neighsyncd netlink meters"));
        setProperties(stagesRegistration, namespaced("neighsyncd netlink stage latencies"));
        synchronized (lock) {
            if (subscription != null) {
                toStop = subscription.reader;
                toStart = newReader(subscription.handler);
                subscription.reader = toStart;
            }
        }
        if (toStop != null) {
            // outside the lock: the old reader's handler may call back into this source while it stops;
            // the new reader starts only once the old one has stopped, so the handler never sees two
            toStop.stop();
            toStart.start();
        }
    }

    private static void setProperties(ServiceRegistration<?> r, Dictionary<String, Object> properties) {
        if (r == null) {
            return;
        }
        try {
            r.setProperties(properties);
        } catch (IllegalStateException e) {
            // unregistered meanwhile (deactivated)
        }
    }

    @Deactivate
    void deactivate() {
        Subscription s;
        synchronized (lock) {
            unregister(metersRegistration);
            metersRegistration = null;
            unregister(stagesRegistration);
            stagesRegistration = null;
            unregister(vrfsRegistration);
            vrfsRegistration = null;
            unregister(registration);
            registration = null;
            s = subscription;
            subscription = null;
        }
        if (s != null) {
            s.stopReader();
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    /** The latencies of the netlink read and the decode, as the {@link StageTimings} service reports them. */
    List<StageHistogram> stages() {
        return counters.stages();
    }

    @Override
    public AutoCloseable subscribe(NeighborEventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (lock) {
            if (subscription != null) {
                throw new IllegalStateException(pid + ": the netlink source already has a subscriber");
            }
            Subscription s = new Subscription(handler);
            s.reader = newReader(handler);
            subscription = s;
            s.reader.start();
            return s;
        }
    }

    @Override
    public void requestDump() {
        synchronized (lock) {
            if (subscription != null) {
                subscription.reader.requestDump();
            }
        }
    }

    @Override
    public String namespace() {
        synchronized (lock) {
            return namespace;
        }
    }

    /** The receive buffer size in force (as configured; the kernel's figure is the {@code socket.rcvbuf.bytes} counter). */
    public int receiveBufferBytes() {
        synchronized (lock) {
            return receiveBufferBytes;
        }
    }

    /**
     * This source's counters, sorted by name: {@code messages.<type>}, {@code malformed.<reason>},
     * {@code overflows}, {@code linklookups.found|missed}, {@code dumps.*}, {@code socket.rcvbuf.bytes}, ...
     */
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    /** Validates and takes the configuration; an invalid value is logged and the last good one kept. */
    private void applyConfig(Config config) {
        if (config == null) {
            return;
        }
        rejections.clear();
        try {
            applyConfigValues(config);
        } finally {
            lastRejections = Set.copyOf(rejections);
        }
    }

    private void applyConfigValues(Config config) {
        String ns;
        try {
            ns = config.namespace() == null ? "" : config.namespace().trim();
        } catch (RuntimeException e) {
            ns = null;
            reject("namespace", "?", "not a string (" + e.getMessage() + ")", "'" + namespace + "'");
        }
        if (ns != null) {
            if (ns.isEmpty() || isNamespaceName(ns)) {
                namespace = ns;
            } else {
                reject("namespace", ns, "not a namespace name under /var/run/netns (letters, digits, . _ - : @ +)",
                        "'" + namespace + "'");
            }
        }
        try {
            int bytes = config.receiveBufferBytes();
            if (bytes >= MIN_RECEIVE_BUFFER) {
                receiveBufferBytes = bytes;
            } else {
                reject("receiveBufferBytes", Integer.toString(bytes), "must be at least " + MIN_RECEIVE_BUFFER
                        + " bytes", receiveBufferBytes + " bytes");
            }
        } catch (RuntimeException e) {
            reject("receiveBufferBytes", "?", "not an integer (" + e.getMessage() + ")", receiveBufferBytes + " bytes");
        }
    }

    /** A name that can only mean a file directly under /var/run/netns (not empty, no slash, not . or ..). */
    static boolean isNamespaceName(String name) {
        return Pipelines.isNamespaceName(name);
    }

    private void reject(String key, String value, String reason, String kept) {
        LOG.error("configuration {} rejected: {}={} {}; keeping {}", pid, key, value, reason, kept);
        rejections.add("configuration rejected: " + key + "=" + value + " " + reason + "; keeping " + kept);
    }

    /** The configuration offered last was rejected (in part), and the netlink sockets while they are not open. */
    @Override
    public Set<Problem> problems() {
        Set<Problem> p = new TreeSet<>();
        lastRejections.forEach(r -> p.add(Problem.degraded(pid, r)));
        synchronized (lock) {
            if (subscription != null && subscription.reader != null) {
                String why = subscription.reader.notOpen();
                if (why != null && !why.equals("starting")) {
                    p.add(Problem.notReady(pid, label() + ": netlink socket not open: " + why));
                }
            }
        }
        return p;
    }

    private String label() {
        return namespace.isEmpty() ? "own network namespace" : "network namespace " + namespace;
    }

    private Dictionary<String, Object> serviceProperties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(NeighborSource.NAMESPACE_PROPERTY, namespace);
        p.put("service.description", "neighsyncd netlink neighbor source");
        if (!PID.equals(pid)) {
            p.put("neighsyncd.netlink.pid", pid);
        }
        return p;
    }

    /** The properties of a service of this source's pipeline: its namespace and a description. */
    private Dictionary<String, Object> namespaced(String description) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(Pipelines.NAMESPACE_PROPERTY, namespace);
        p.put("service.description", description);
        return p;
    }

    /** The kernel VRF service's properties: the namespace it describes. */
    private Dictionary<String, Object> vrfProperties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(NeighborSource.NAMESPACE_PROPERTY, namespace);
        p.put("service.description", "neighsyncd kernel VRFs (netlink link cache)");
        return p;
    }

    /** The kernel's VRFs as this source's reader last saw them. */
    VrfBindingSource kernelVrfs() {
        return kernelVrfs;
    }

    private NetlinkReader newReader(NeighborEventHandler handler) {
        try {
            NetlinkReader reader = new NetlinkReader(namespace, receiveBufferBytes, handler, counters);
            reader.vrfListener(kernelVrfs);
            return reader;
        } catch (NetlinkException e) {
            throw new IllegalStateException(pid + ": cannot start the netlink reader: " + e.getMessage(), e);
        }
    }

    /** One subscriber; survives reader restarts on a namespace change. */
    private final class Subscription implements AutoCloseable {
        private final NeighborEventHandler handler;
        private NetlinkReader reader;

        Subscription(NeighborEventHandler handler) {
            this.handler = handler;
        }

        void stopReader() {
            NetlinkReader r;
            synchronized (lock) {
                r = reader;
            }
            r.stop();
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (subscription != this) {
                    return;
                }
                subscription = null;
            }
            stopReader();
        }
    }
}
