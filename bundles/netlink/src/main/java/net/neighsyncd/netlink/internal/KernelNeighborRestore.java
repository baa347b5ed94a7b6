package net.neighsyncd.netlink.internal;

import java.util.concurrent.CompletableFuture;
import net.neighsyncd.api.warmrestart.KernelRestore;
import net.neighsyncd.api.warmrestart.WarmRestartStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in kernel neighbor restore: what SONiC's {@code restore_neighbors.py} does on a
 * system warm reboot, without Python. Off unless configured: the component needs a
 * configuration of PID {@value #PID} (configuration policy REQUIRE), and runs once per
 * activation when that configuration has {@code enabled=true}. A run reads the applied APPL_DB
 * neighbors, writes them into the kernel as STALE once their interface is up, and always ends by
 * setting {@code NEIGH_RESTORE_TABLE|Flags restored=true} (see {@link NeighborRestore}).
 *
 * <p>A configuration change does not start another run (it takes effect at the next
 * activation); deactivation stops a run in progress.
 */
@Component(service = KernelRestore.class, immediate = true, configurationPid = KernelNeighborRestore.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = KernelNeighborRestore.Config.class)
public final class KernelNeighborRestore implements KernelRestore {
    /** The configuration PID. */
    public static final String PID = "net.neighsyncd.restore";
    static final int DEFAULT_TIMEOUT_SECONDS = KernelRestore.SONIC_TIMEOUT_SECONDS;
    static final int MIN_TIMEOUT_SECONDS = 1;
    static final int MAX_TIMEOUT_SECONDS = 3600;
    static final int DEFAULT_RETRY_MILLIS = 1000;
    static final int MIN_RETRY_MILLIS = 10;
    static final int MAX_RETRY_MILLIS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(KernelNeighborRestore.class);

    @ObjectClassDefinition(id = PID, name = "neighsyncd kernel neighbor restore",
            description = "Built-in replacement for SONiC's restore_neighbors.py, off by default: on activation "
                    + "with enabled=true it reads the neighbors applied in APPL_DB NEIGH_TABLE, writes each into the "
                    + "kernel as STALE (the kernel re-validates it) once its interface exists and is up, and then "
                    + "sets STATE_DB NEIGH_RESTORE_TABLE|Flags restored=true, which the warm start waits for. The "
                    + "flag is set also when the timeout cut the restore short or writes failed. Runs once per "
                    + "activation (a configuration change applies at the next start). Enable it only where "
                    + "restore_neighbors.py does not run.")
    public @interface Config {
        @AttributeDefinition(name = "Enabled",
                description = "Restore the APPL_DB neighbors into the kernel and set the restored flag at start. "
                        + "False: the component does nothing.")
        boolean enabled() default false;

        @AttributeDefinition(name = "Network namespace",
                description = "Name of the network namespace to restore into, as it appears under /var/run/netns "
                        + "(for example asic0), the same as the netlink source's. Empty: the daemon's own namespace.")
        String namespace() default "";

        @AttributeDefinition(name = "Timeout (s)",
                description = "Bound of the whole restore in seconds (reading APPL_DB, waiting for interfaces, "
                        + "writing); neighbors not written by then are skipped and the restored flag is set. Must "
                        + "be shorter than the core's warm-restart restore wait (default 180 s), which the core "
                        + "checks on its side. Range 1..3600.",
                min = "1", max = "3600")
        int timeoutSeconds() default DEFAULT_TIMEOUT_SECONDS;

        @AttributeDefinition(name = "Retry interval (ms)",
                description = "Pause in milliseconds between attempts: reading APPL_DB, looking for interfaces that "
                        + "are not up yet (a link change also ends the pause), rewriting a neighbor the kernel "
                        + "refused with ENETDOWN, setting the restored flag. Range 10..60000.",
                min = "10", max = "60000")
        int retryMillis() default DEFAULT_RETRY_MILLIS;
    }

    /** Static and mandatory: the component is active only while the store is there. */
    @Reference
    private WarmRestartStore store;

    private final Object lock = new Object();
    private final NeighborRestore.WaitListener waits;
    private NeighborRestore run;
    /** The bound in force for this activation (the configured one when valid, else the default). */
    private volatile int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    /** For DS. */
    public KernelNeighborRestore() {
        this.waits = NeighborRestore.NO_WAIT_LISTENER;
    }

    /** Outside a framework. */
    KernelNeighborRestore(WarmRestartStore store) {
        this(store, NeighborRestore.NO_WAIT_LISTENER);
    }

    /** Outside a framework, each run telling {@code waits} when it waits (for tests). */
    KernelNeighborRestore(WarmRestartStore store, NeighborRestore.WaitListener waits) {
        this.store = store;
        this.waits = waits;
    }

    @Activate
    void activate(Config config) {
        int timeout = config.timeoutSeconds();
        if (timeout < MIN_TIMEOUT_SECONDS || timeout > MAX_TIMEOUT_SECONDS) {
            LOG.error("configuration {} rejected: timeoutSeconds={} must be {}..{}; using {}", PID, timeout,
                    MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS);
            timeout = DEFAULT_TIMEOUT_SECONDS;
        }
        timeoutSeconds = timeout;
        if (!config.enabled()) {
            LOG.info("{}: kernel neighbor restore is configured but not enabled (enabled=false)", PID);
            return;
        }
        String namespace = config.namespace() == null ? "" : config.namespace().trim();
        if (!namespace.isEmpty() && !NetlinkNeighborSource.isNamespaceName(namespace)) {
            LOG.error("configuration {} rejected: namespace={} not a namespace name under /var/run/netns (letters, "
                    + "digits, . _ - : @ +); the restore cannot open it and only sets the restored flag at its "
                    + "timeout", PID, namespace);
        }
        int retryMillis = config.retryMillis();
        if (retryMillis < MIN_RETRY_MILLIS || retryMillis > MAX_RETRY_MILLIS) {
            LOG.error("configuration {} rejected: retryMillis={} must be {}..{}; using {}", PID, retryMillis,
                    MIN_RETRY_MILLIS, MAX_RETRY_MILLIS, DEFAULT_RETRY_MILLIS);
            retryMillis = DEFAULT_RETRY_MILLIS;
        }
        synchronized (lock) {
            try {
                run = new NeighborRestore(namespace, store, timeout * 1000L, retryMillis,
                        (wakeupFd, stopping) -> NetlinkRestoreKernel.open(namespace, wakeupFd, stopping), waits);
            } catch (NetlinkException e) {
                throw new IllegalStateException(PID + ": cannot start the kernel neighbor restore: " + e.getMessage(), e);
            }
            LOG.info("{}: kernel neighbor restore starts in {} (timeout {} s, retry every {} ms)", PID,
                    namespace.isEmpty() ? "the own network namespace" : "network namespace " + namespace,
                    timeout, retryMillis);
            run.start();
        }
    }

    @Modified
    void modified(Config config) {
        LOG.info("{}: configuration changed; the kernel neighbor restore runs once per start, the change applies "
                + "at the next one", PID);
    }

    @Deactivate
    void deactivate() {
        NeighborRestore r;
        synchronized (lock) {
            r = run;
            run = null;
        }
        if (r != null) {
            r.stop();
        }
    }

    /**
     * The bound the core's restore wait must exceed: this activation's timeout, whether or not the
     * restore is enabled (with it disabled, the operator declares here the bound of SONiC's
     * {@code restore_neighbors.py}).
     */
    @Override
    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** The outcome of this activation's run; {@code null} when not enabled (or deactivated). */
    CompletableFuture<NeighborRestore.Summary> result() {
        synchronized (lock) {
            return run == null ? null : run.result();
        }
    }
}
