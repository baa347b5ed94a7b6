package net.neighsyncd.redis.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.neighsyncd.api.engine.SwitchModes;
import net.neighsyncd.api.engine.SwitchModesSource;
import net.neighsyncd.api.pipeline.Pipelines;
import net.neighsyncd.api.vrf.VrfBindingSource;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Keeps what neighsyncd follows in CONFIG_DB current ({@link ConfigDbState}: the switch modes and
 * the VRF bindings), for {@link ConfigDbSwitchModes} and {@link ConfigDbVrfBindings}, which offer
 * its parts as services. CONFIG_DB is read again on each keyspace notification of
 * the tables they come from ({@link KeyspaceWatch}), and polled every {@code pollIntervalMillis}
 * only while Redis sends none (notifications off, or the subscription down).
 * The first read happens during activation, so a fresh service already knows the switch when
 * Redis is up. Watchers hear only of changes; while Redis fails the last value stays, and the
 * failure is logged once. Configured by PID {@code net.neighsyncd.redis} (see
 * {@link AppDbNeighborSink.Config}), and by its pipeline's configuration: one follower per
 * pipeline, whose services carry the pipeline's namespace.
 */
@Component(
        service = {},
        immediate = true,
        configurationPid = {RedisSettings.PID, Pipelines.FACTORY_PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"net.neighsyncd.api.engine.SwitchModesSource\"",
        uses = SwitchModesSource.class)
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"net.neighsyncd.api.vrf.VrfBindingSource\"",
        uses = VrfBindingSource.class)
public class ConfigDbFollower {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigDbFollower.class);

    private final Object lock = new Object();
    private final Object pollLock = new Object();
    private final CopyOnWriteArrayList<Consumer<ConfigDbState>> watchers = new CopyOnWriteArrayList<>();
    private volatile ConfigDbState current = ConfigDbState.EMPTY;
    private RedisSettings settings = RedisSettings.DEFAULTS;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> task;
    private int scheduledInterval;
    private Jedis jedis;
    private ConfigDbReader reader;
    private boolean failing;
    private boolean everRead;
    private String where = "CONFIG_DB";
    private KeyspaceWatch keyspace;
    private final java.util.concurrent.atomic.AtomicBoolean readQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** Keyspace notifications flow: no polling. */
    private boolean notified;

    private PipelineServices services;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        follow(properties);
        synchronized (lock) {
            services = new PipelineServices(context, settings.namespace())
                    .offer(new ConfigDbSwitchModes(this), Map.of(), SwitchModesSource.class)
                    .offer(new ConfigDbVrfBindings(this), Map.of(), VrfBindingSource.class);
            services.register();
        }
    }

    /** Starts following without offering services (also what a unit test calls). */
    void follow(Map<String, Object> properties) {
        configure(properties);
        String suffix = settings().namespace().isEmpty() ? "" : "-" + settings().namespace();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "neighsyncd-configdb-poll" + suffix);
            t.setDaemon(true);
            return t;
        });
        poll();
        schedule();
        startKeyspaceWatch();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        boolean moved = configure(properties);
        if (moved) {
            // the new namespace's CONFIG_DB read before its services say they are that namespace's
            pollSafely();
        }
        synchronized (lock) {
            if (services != null) {
                services.namespace(settings.namespace());
            }
        }
        if (moved) {
            stopKeyspaceWatch();
            notificationsFlow(false);
            startKeyspaceWatch();
        }
        schedule();
    }

    private void startKeyspaceWatch() {
        KeyspaceWatch w = new KeyspaceWatch(() -> settings().resolveLayout().config(), this::settings,
                this::readSoon, this::notificationsFlow);
        synchronized (lock) {
            keyspace = w;
        }
        w.start();
    }

    private void stopKeyspaceWatch() {
        KeyspaceWatch w;
        synchronized (lock) {
            w = keyspace;
            keyspace = null;
        }
        if (w != null) {
            w.close();
        }
    }

    /**
     * A watched key changed: one read of CONFIG_DB follows on the poll thread, however many
     * notifications a burst of changes sends before it runs.
     */
    private void readSoon() {
        if (!readQueued.compareAndSet(false, true)) {
            return;
        }
        ScheduledExecutorService ex;
        synchronized (lock) {
            ex = executor;
        }
        if (ex == null) {
            readQueued.set(false);
            return;
        }
        try {
            ex.execute(() -> {
                readQueued.set(false);
                pollSafely();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            readQueued.set(false);
        }
    }

    /** The keyspace watch says whether notifications flow; polling runs only while they do not. */
    private void notificationsFlow(boolean on) {
        synchronized (lock) {
            notified = on;
        }
        schedule();
    }

    /** Whether CONFIG_DB is polled now (false while keyspace notifications flow). */
    boolean polling() {
        synchronized (lock) {
            return task != null;
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            if (services != null) {
                services.unregister();
                services = null;
            }
        }
        stopKeyspaceWatch();
        ScheduledExecutorService ex;
        synchronized (lock) {
            ex = executor;
            executor = null;
            task = null;
        }
        if (ex != null) {
            ex.shutdownNow();
            try {
                ex.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            disconnect();
        }
        watchers.clear();
    }

    /** Takes valid settings; returns whether they name another CONFIG_DB connection. */
    private boolean configure(Map<String, Object> properties) {
        RedisSettings next = RedisSettings.fromOrLog(properties, LOG);
        if (next == null) {
            return false;
        }
        synchronized (lock) {
            RedisSettings previous = settings;
            settings = next;
            if (!previous.sameConnection(next)) {
                disconnect();
                return true;
            }
            return false;
        }
    }

    /**
     * (Re)starts the periodic poll when the interval differs from the scheduled one; stops it while
     * keyspace notifications flow.
     */
    private void schedule() {
        synchronized (lock) {
            if (executor == null) {
                return;
            }
            if (notified) {
                if (task != null) {
                    task.cancel(false);
                    task = null;
                }
                return;
            }
            int interval = settings.pollIntervalMillis();
            if (task != null && interval == scheduledInterval) {
                return;
            }
            if (task != null) {
                task.cancel(false);
            }
            scheduledInterval = interval;
            task = executor.scheduleWithFixedDelay(this::pollSafely, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    /** The settings in force. */
    RedisSettings settings() {
        synchronized (lock) {
            return settings;
        }
    }

    /** The last state read; {@link ConfigDbState#EMPTY} before one was. */
    ConfigDbState current() {
        return current;
    }

    /** Calls {@code listener} with each new state that differs from the last; close to stop. */
    AutoCloseable watch(Consumer<ConfigDbState> listener) {
        Objects.requireNonNull(listener, "listener");
        watchers.add(listener);
        return () -> watchers.remove(listener);
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again
            LOG.error("CONFIG_DB poll failed unexpectedly", e);
        }
    }

    /** Reads CONFIG_DB once; tells the watchers when what it says changed. */
    void poll() {
        synchronized (pollLock) {
            pollAndNotify();
        }
    }

    private void pollAndNotify() {
        ConfigDbState read;
        synchronized (lock) {
            read = readOnce();
        }
        if (read == null || read.equals(current)) {
            return;
        }
        ConfigDbState before = current;
        current = read;
        SwitchModes was = before.modes();
        SwitchModes is = read.modes();
        if (!was.equals(is)) {
            LOG.info("switch modes changed: dualTor {} -> {}, link-local-only interfaces {} -> {}, EVPN NVO {} -> {}",
                    was.dualTor(), is.dualTor(), was.linkLocalInterfaces(), is.linkLocalInterfaces(), was.evpnNvo(),
                    is.evpnNvo());
        }
        if (!before.vrfs().equals(read.vrfs())) {
            LOG.info("CONFIG_DB VRFs changed: {} -> {}", before.vrfs(), read.vrfs());
        }
        for (Consumer<ConfigDbState> w : watchers) {
            try {
                w.accept(read);
            } catch (RuntimeException e) {
                LOG.warn("a CONFIG_DB watcher failed", e);
            }
        }
    }

    /** The state read now, or null when CONFIG_DB cannot be read (the failure is logged once). */
    private ConfigDbState readOnce() {
        try {
            if (jedis == null || jedis.isBroken() || !jedis.isConnected()) {
                disconnect();
                RedisDatabase config = settings.resolveLayout().config();
                where = config.toString();
                jedis = RedisClients.open(config, settings.connectTimeoutMillis(), settings.socketTimeoutMillis(),
                        "neighsyncd-configdb");
                reader = new ConfigDbReader(config.separator());
            }
            ConfigDbState state = reader.read(jedis);
            if (failing) {
                LOG.info("CONFIG_DB readable again; switch modes and VRFs are current");
            }
            failing = false;
            everRead = true;
            return state;
        } catch (JedisException | IllegalArgumentException | IllegalStateException e) {
            disconnect();
            if (!failing) {
                failing = true;
                LOG.warn("cannot read the switch modes and VRFs from {}: {}; keeping {} {} until it can", where,
                        e.getMessage(), everRead ? "the last value read" : "the defaults (nothing read yet)",
                        current);
            }
            return null;
        }
    }

    private void disconnect() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the CONFIG_DB connection failed", e);
            }
        }
        jedis = null;
        reader = null;
    }
}
