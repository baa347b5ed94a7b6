package net.neighsyncd.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.profiling.StageHistogram;
import net.neighsyncd.api.profiling.StageTimings;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.metrics.MeterSpec;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.engine.ReconcilableSink;
import net.neighsyncd.api.engine.SinkException;
import net.neighsyncd.api.warmrestart.WarmRestartStore;
import net.neighsyncd.api.pipeline.Pipelines;
import net.neighsyncd.api.ha.Leadership;
import net.neighsyncd.api.ha.LeaseStore;
import net.neighsyncd.api.ha.WriteFence;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The APPL_DB sink: writes {@code NEIGH_TABLE} as a SONiC ProducerStateTable producer. Connects
 * on first use and again after any failure; every failure is a {@link SinkException} that the
 * core retries, and none ends the process.
 *
 * <p>As a {@link ReconcilableSink} it reads {@code NEIGH_TABLE} back as orchagent will see it,
 * and says when that may differ from what it applied: after a new connection, when the server's
 * {@code run_id} changed since the last read, or when one of the few keys it set last has
 * vanished (FLUSHALL, FLUSHDB, someone deleting entries). The service stays registered as
 * {@link NeighborSink}; the core finds the interface on the object.
 *
 * <p>It is also the {@link WarmRestartStore}, registered under that interface as well: SONiC's
 * warm-restart tables in STATE_DB and CONFIG_DB (over connections of their own, see
 * {@link WarmRestartTables}), and the APPL_DB reads and clean-up a warm start needs (over the
 * APPL_DB connection, under the same lock as the writes). Every method is safe to call from
 * any thread, also while the writer thread applies.
 *
 * <p>As a {@link MeterSource} it publishes the meters of its APPL_DB connection ({@link AppDbMeters}):
 * round trips, reconnects, failed connects, whether it is connected, script reloads. As
 * {@link StageTimings} it publishes the latencies of its pipelines: encode and Redis round trip.
 */
@Component(
        service = {},
        immediate = true,
        configurationPid = {RedisSettings.PID, Pipelines.FACTORY_PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"net.neighsyncd.api.engine.NeighborSink,"
        + "net.neighsyncd.api.warmrestart.WarmRestartStore,net.neighsyncd.api.health.HealthContributor,"
        + "net.neighsyncd.api.metrics.MeterSource,net.neighsyncd.api.profiling.StageTimings\"",
        uses = {NeighborSink.class, WarmRestartStore.class, HealthContributor.class, MeterSource.class,
            StageTimings.class})
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"net.neighsyncd.api.ha.LeaseStore\"",
        uses = LeaseStore.class)
public class AppDbNeighborSink implements ReconcilableSink, WarmRestartStore, HealthContributor, MeterSource,
        StageTimings {

    /** The configuration of PID {@code net.neighsyncd.redis}, shared with the CONFIG_DB switch-modes reader. */
    @ObjectClassDefinition(
            id = RedisSettings.PID,
            name = "neighsyncd Redis databases",
            description = "Where SONiC's databases are (APPL_DB for NEIGH_TABLE, CONFIG_DB for the switch modes) "
                    + "and how neighsyncd writes to them. Invalid values are rejected with a log line and the "
                    + "last good configuration stays in force.")
    public @interface Config {
        @AttributeDefinition(
                name = "Network namespace",
                description = "The namespace whose databases these are (asic0 on a multi-ASIC switch), empty for the "
                        + "host's. With neither a URL nor a database_config.json below, a namespace's databases are "
                        + "the ones database_global.json lists for it; a namespace it does not list is an error, "
                        + "never the host's databases. A pipeline configuration (net.neighsyncd.pipeline) sets it.",
                required = false)
        String namespace() default "";

        @AttributeDefinition(
                name = "database_config.json",
                description = "Path of SONiC's database_config.json naming the Redis instances and the APPL_DB, "
                        + "CONFIG_DB and STATE_DB numbers; an instance with a unix_socket_path is reached over that "
                        + "socket only, as SONiC's daemons reach it. Empty: SONiC's own, "
                        + "/var/run/redis/sonic-db/database_config.json for the host, the one database_global.json "
                        + "lists for a namespace. Read at each connect.",
                required = false)
        String databaseConfig() default "";

        @AttributeDefinition(
                name = "database_global.json",
                description = "Path of SONiC's database_global.json (multi-ASIC), read for a namespace's "
                        + "database_config.json when none is given.")
        String databaseGlobalConfig() default DatabaseGlobalConfig.DEFAULT_PATH;

        @AttributeDefinition(
                name = "Redis URL",
                description = "When set, wins over database_config.json: redis://[[user]:password@]host[:port][/db] "
                        + "or unix:///path/to/redis.sock[?db=N]. The db (default 0) is APPL_DB; CONFIG_DB is 4 and "
                        + "STATE_DB 6 on the same server, SONiC's defaults.",
                required = false)
        String redisUrl() default "";

        @AttributeDefinition(
                name = "Batch size (operations)",
                description = "NEIGH_TABLE set/delete operations per Lua script call; 1 uses SONiC's single-key "
                        + "scripts. Range 1..10000.",
                min = "1", max = "10000")
        int batchSize() default RedisSettings.DEFAULT_BATCH_SIZE;

        @AttributeDefinition(
                name = "Connect timeout (ms)",
                description = "How long connecting to Redis may take, in milliseconds. Range 10..60000.",
                min = "10", max = "60000")
        int connectTimeoutMillis() default RedisSettings.DEFAULT_CONNECT_TIMEOUT;

        @AttributeDefinition(
                name = "Response timeout (ms)",
                description = "How long Redis may take to answer a request, in milliseconds; a slower answer "
                        + "fails the write, which is retried on a new connection. Range 100..600000.",
                min = "100", max = "600000")
        int socketTimeoutMillis() default RedisSettings.DEFAULT_SOCKET_TIMEOUT;

        @AttributeDefinition(
                name = "CONFIG_DB poll interval (ms)",
                description = "How often CONFIG_DB is scanned for PEER_SWITCH (dual ToR), VXLAN_EVPN_NVO and "
                        + "the ipv6_use_link_local_only interface setting, in milliseconds, while Redis sends no "
                        + "keyspace notifications for them (notify-keyspace-events without K, h and g); with "
                        + "them, CONFIG_DB is read on each change and never polled. Range 100..60000.",
                min = "100", max = "60000")
        int pollIntervalMillis() default RedisSettings.DEFAULT_POLL_INTERVAL;
    }

    static final String TABLE = "NEIGH_TABLE";
    /** The longest a lease call may wait to connect or for an answer, in milliseconds (a lease lives at least 1000). */
    static final int LEASE_TIMEOUT_MILLIS = 1000;
    /** How many of the keys set last (and not deleted since) {@link #stateInDoubt} probes. */
    static final int PROBED_KEYS = 16;
    /** How many unreadable keys the warning of {@link #readState} names. */
    private static final int NAMED_UNREADABLE = 5;
    private static final Logger LOG = LoggerFactory.getLogger(AppDbNeighborSink.class);

    private final Object lock = new Object();
    /** Written under {@link #lock}; volatile so that {@link #warmRestart} reads it without waiting for a write. */
    private volatile RedisSettings settings = RedisSettings.DEFAULTS;
    private final WarmRestartTables warmRestart = new WarmRestartTables(() -> settings);
    private Jedis jedis;
    private ProducerStateTable table;
    private RedisDatabase connectedTo;
    private volatile boolean failing;
    private volatile String lastFailure;
    /** The {@code run_id} seen by the last successful {@link #readState}; {@code null} before. */
    private String readRunId;
    /** Raised by a new connection, a changed run_id or a failed probe; cleared by {@link #readState}. */
    private boolean doubt;
    /** Up to {@link #PROBED_KEYS} keys set last and not deleted since, oldest first. */
    private final LinkedHashSet<NeighborKey> recentlySet = new LinkedHashSet<>();
    private final AppDbMeters meters = new AppDbMeters();

    private PipelineServices services;
    /** The pipeline's leadership and the replica of its stream, when the ha bundle runs. */
    private final PipelineLeadership leadership = new PipelineLeadership(l -> new AppliedReplica(
            new AppliedReplica.Connector() {
                @Override
                public Jedis open() {
                    RedisSettings s = settings;
                    return RedisClients.open(s.resolveLayout().appl(), s.connectTimeoutMillis(),
                            s.socketTimeoutMillis(), "neighsyncd-replica");
                }

                @Override
                public ProducerStateTable table() {
                    RedisDatabase appl = settings.resolveLayout().appl();
                    return new ProducerStateTable(TABLE, appl.separator(), appl.id());
                }
            }, settings.namespace(), l.instanceId(), this::connectedOrConfigured));
    /** The lease of this pipeline in APPL_DB's database, for the ha bundle. */
    private final RedisLeaseStore leaseStore = new RedisLeaseStore(() -> {
        RedisSettings s = settings;
        // at most a second per call: a renewal that hangs must not outlast the lease it renews
        return RedisClients.open(s.resolveLayout().appl(), Math.min(s.connectTimeoutMillis(), LEASE_TIMEOUT_MILLIS),
                Math.min(s.socketTimeoutMillis(), LEASE_TIMEOUT_MILLIS), "neighsyncd-lease");
    }, () -> settings.namespace());
    /** The fencing token of the last {@link #readState}: a new one means a takeover; 0 before any. */
    private long tokenAtLastRead;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        configure(properties);
        // the leadership first: no write may go out unfenced before it is followed
        leadership.namespace(settings.namespace());
        leadership.activate();
        synchronized (lock) {
            services = new PipelineServices(context, settings.namespace()).offer(this,
                    Map.of(NeighborSink.APPL_DB_PROPERTY, Boolean.TRUE), NeighborSink.class, WarmRestartStore.class,
                    HealthContributor.class, MeterSource.class, StageTimings.class)
                    .offer(leaseStore, Map.of(), LeaseStore.class);
            services.register();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedLeadership")
    void bindLeadership(Leadership l, Map<String, Object> properties) {
        leadership.offer(l, properties);
    }

    void updatedLeadership(Leadership l, Map<String, Object> properties) {
        leadership.offer(l, properties);
    }

    void unbindLeadership(Leadership l) {
        leadership.withdraw(l);
    }

    /** Takes the configuration without offering the services (also what a unit test calls). */
    void configure(Map<String, Object> properties) {
        configure(properties, false);
        LOG.info("APPL_DB sink active: {}", settings);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties, true);
        synchronized (lock) {
            if (services != null) {
                services.namespace(settings.namespace());
            }
        }
        leadership.namespace(settings.namespace());
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            if (services != null) {
                services.unregister();
                services = null;
            }
        }
        // the services are gone: no engine writes through this sink any more
        leadership.deactivate();
        synchronized (lock) {
            disconnect();
        }
        leaseStore.close();
        warmRestart.close();
    }

    private void configure(Map<String, Object> properties, boolean logChange) {
        RedisSettings next = RedisSettings.fromOrLog(properties, LOG);
        if (next == null) {
            return;
        }
        synchronized (lock) {
            RedisSettings previous = settings;
            settings = next;
            if (!previous.sameConnection(next)) {
                disconnect();
                leaseStore.close();
                // another server or database: its run_id and keys say nothing about the old one
                readRunId = null;
                recentlySet.clear();
            }
            if (logChange && !previous.equals(next)) {
                LOG.info("APPL_DB sink reconfigured: {}", next);
            }
        }
    }

    /** The settings in force. */
    RedisSettings settings() {
        return settings;
    }

    @Override
    public void apply(List<NeighborChange> changes) throws SinkException {
        if (changes.isEmpty()) {
            return;
        }
        Leadership leader = leadership.current().orElse(null);
        WriteFence fence = null;
        if (leader != null) {
            fence = leader.fence().orElseThrow(() -> new SinkException("not writing " + changes.size()
                    + " NEIGH_TABLE changes: this instance stands by (it does not hold the lease)"));
        }
        synchronized (lock) {
            connect();
            try {
                if (fence == null) {
                    table.write(jedis, changes, settings.batchSize());
                } else {
                    new FencedWrites(table, settings.namespace()).write(jedis, changes, settings.batchSize(), fence);
                }
                failing = false;
            } catch (JedisException | IllegalStateException e) {
                if (fence != null && e instanceof JedisException je && FencedWrites.isFenced(je)) {
                    // Redis holds a newer token: another instance leads; nothing of this batch was applied
                    LOG.warn("APPL_DB refused a write under fencing token {}: {}; stepping down", fence.token(),
                            e.getMessage());
                    leader.fenced(fence.token());
                    throw new SinkException("fenced: " + e.getMessage(), e);
                }
                disconnect();
                throw failure("writing " + changes.size() + " NEIGH_TABLE changes to " + connectedOrConfigured()
                        + " failed: " + e.getMessage(), e);
            }
            remember(changes);
        }
    }

    /** Keeps the last {@link #PROBED_KEYS} keys set and not deleted since, for the probe. */
    private void remember(List<NeighborChange> changes) {
        for (NeighborChange c : changes) {
            NeighborKey key = c.key();
            recentlySet.remove(key);
            if (c.op() == NeighborChange.Op.SET) {
                recentlySet.add(key);
                if (recentlySet.size() > PROBED_KEYS) {
                    Iterator<NeighborKey> oldest = recentlySet.iterator();
                    oldest.next();
                    oldest.remove();
                }
            }
        }
    }

    /**
     * True when NEIGH_TABLE may no longer hold what was applied; at most one round trip on a
     * working connection (INFO server and the probe script, pipelined), two when the scripts
     * must be loaded again. The doubt stays raised until {@link #readState}.
     */
    @Override
    public boolean stateInDoubt() throws SinkException {
        synchronized (lock) {
            boolean reused = isConnected();
            connect();
            long token = currentToken();
            if (token != 0 && token != tokenAtLastRead) {
                raiseDoubt("took over the lease (fencing token " + token + ")");
            }
            if (doubt) {
                return true;
            }
            List<String> probed = recentlySet.stream().map(NeighborKey::toString).toList();
            try {
                List<Object> replies = table.pipelined(jedis, p -> {
                    List<Response<?>> r = new ArrayList<>(2);
                    r.add(p.sendCommand(Protocol.Command.INFO, "server"));
                    if (!probed.isEmpty()) {
                        r.add(table.probe(p, probed));
                    }
                    return r;
                });
                failing = false;
                String runId = runId(replies.get(0));
                if (readRunId == null) {
                    raiseDoubt("never read");
                } else if (!readRunId.equals(runId)) {
                    raiseDoubt("Redis restarted (run_id changed)");
                } else if (!probed.isEmpty()) {
                    long missing = (Long) replies.get(1);
                    if (missing > 0) {
                        raiseDoubt(missing + " of " + probed.size() + " probed entries missing");
                    }
                }
                return doubt;
            } catch (JedisException | IllegalStateException | ClassCastException e) {
                disconnect();
                if (reused && e instanceof JedisConnectionException) {
                    // the connection had died in between (Redis restarted, say): a new one is the answer
                    LOG.debug("probing APPL_DB on an old connection failed, connecting again", e);
                    connect();
                    return true;
                }
                throw failure("probing NEIGH_TABLE on " + connectedOrConfigured() + " failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * NEIGH_TABLE as orchagent will see it once it has popped everything pending. Entries that
     * are not neighbors neighsyncd could have written (a key that is not a canonical
     * {@code <ifname>:<ip>}, no parsable {@code neigh} MAC, a {@code family} that is not the
     * address's, not a hash) are skipped with one warning: they are not ours to fix, and the
     * core then neither deletes nor trusts them (a SET of the same key overwrites them).
     */
    @Override
    public Map<NeighborKey, NeighborRecord> readState() throws SinkException {
        long token = currentToken();
        if (token != 0 && token != tokenAtLastRead) {
            Map<NeighborKey, NeighborRecord> replicated = fromReplica(token);
            if (replicated != null) {
                return replicated;
            }
        }
        Map<NeighborKey, NeighborRecord> state;
        synchronized (lock) {
            connect();
            ProducerStateTable.Contents contents;
            String runId;
            try {
                long start = System.nanoTime();
                Jedis j = jedis;
                runId = runId(meters.requests().roundTrip(() -> j.info("server")));
                contents = table.readAll(jedis);
                failing = false;
                LOG.debug("read {} NEIGH_TABLE entries in {} ms", contents.entries().size(),
                        (System.nanoTime() - start) / 1_000_000);
            } catch (JedisException | IllegalStateException | ClassCastException e) {
                disconnect();
                throw failure("reading NEIGH_TABLE from " + connectedOrConfigured() + " failed: " + e.getMessage(), e);
            }
            state = records(contents);
            // a key set but gone now is repaired by the core or no longer wanted: either way not a probe
            recentlySet.removeIf(k -> !contents.entries().containsKey(k.toString()));
            readRunId = runId;
            doubt = false;
            tokenAtLastRead = token;
        }
        if (token != 0) {
            leadership.tookOver();
        }
        return state;
    }

    /** The fencing token this instance writes under now; 0 without one (a standby or a single instance). */
    private long currentToken() {
        return leadership.current().flatMap(Leadership::fence).map(WriteFence::token).orElse(0L);
    }

    /**
     * A takeover's read: what the replication stream says NEIGH_TABLE holds, once the replica has
     * read everything appended before now (the lease is already this instance's, so a deposed
     * leader can append nothing more), when it is of the server this sink is connected to; null
     * when it has no consistent replica, and NEIGH_TABLE is read instead.
     */
    private Map<NeighborKey, NeighborRecord> fromReplica(long token) throws SinkException {
        AppliedReplica replica = leadership.replica().orElse(null);
        if (replica == null) {
            return null;
        }
        Optional<AppliedReplica.Snapshot> snapshot;
        try {
            snapshot = replica.caughtUp(settings.socketTimeoutMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted while the replica caught up", e);
        }
        if (snapshot.isEmpty()) {
            LOG.info("took over without a consistent replica of NEIGH_TABLE; reading the table");
            return null;
        }
        synchronized (lock) {
            connect();
            String runId;
            try {
                Jedis j = jedis;
                runId = runId(meters.requests().roundTrip(() -> j.info("server")));
                failing = false;
            } catch (JedisException | IllegalStateException | ClassCastException e) {
                disconnect();
                throw failure("reading INFO server from " + connectedOrConfigured() + " failed: " + e.getMessage(), e);
            }
            if (!runId.equals(snapshot.get().runId())) {
                LOG.info("took over, but the replica is of another Redis run; reading NEIGH_TABLE");
                return null;
            }
            LOG.info("took over with fencing token {}: {} NEIGH_TABLE entries known from the replication stream "
                    + "(sequence {}); the table is not read", token, snapshot.get().entries().size(),
                    snapshot.get().sequence());
            recentlySet.clear();
            readRunId = runId;
            doubt = false;
            tokenAtLastRead = token;
        }
        leadership.tookOver();
        return new HashMap<>(snapshot.get().entries());
    }

    /** The records of {@code contents}; entries that are not neighbors neighsyncd could have written are skipped with a warning. */
    private Map<NeighborKey, NeighborRecord> records(ProducerStateTable.Contents contents) {
        Map<NeighborKey, NeighborRecord> state = new HashMap<>(contents.entries().size() * 4 / 3 + 1);
        List<String> unreadable = new ArrayList<>(contents.notHashes());
        contents.entries().forEach((key, fields) -> {
            NeighborRecord r = record(key, fields);
            if (r == null) {
                unreadable.add(key);
            } else {
                state.put(r.key(), r);
            }
        });
        if (!unreadable.isEmpty()) {
            LOG.warn("NEIGH_TABLE on {}: skipped {} entries that are not neighbors as neighsyncd writes them "
                    + "(key <ifname>:<ip>, neigh MAC, family of the address), e.g. {}",
                    connectedOrConfigured(), unreadable.size(),
                    unreadable.subList(0, Math.min(NAMED_UNREADABLE, unreadable.size())));
        }
        return state;
    }

    @Override
    public boolean beginStart(String app, String docker) throws SinkException {
        return warmRestart.beginStart(app, docker);
    }

    @Override
    public void setState(String app, String state) throws SinkException {
        warmRestart.setState(app, state);
    }

    @Override
    public OptionalInt reconcileTimerSeconds(String app, String docker) throws SinkException {
        return warmRestart.reconcileTimerSeconds(app, docker);
    }

    @Override
    public boolean neighborsRestored() throws SinkException {
        return warmRestart.neighborsRestored();
    }

    @Override
    public void markNeighborsRestored() throws SinkException {
        warmRestart.markNeighborsRestored();
    }

    /**
     * Deletes {@code NEIGH_TABLE_KEY_SET}, {@code NEIGH_TABLE_DEL_SET} and every
     * {@code _NEIGH_TABLE:*} in APPL_DB. When that removed anything, NEIGH_TABLE is in doubt
     * (changes this sink had written may be gone) until the next {@link #readState}.
     */
    @Override
    public void clearPending() throws SinkException {
        synchronized (lock) {
            connect();
            long deleted;
            try {
                gapUnderFence();
                deleted = table.clearPending(jedis);
                gapUnderFence();
                failing = false;
            } catch (JedisException | IllegalStateException e) {
                disconnect();
                throw failure("clearing the pending NEIGH_TABLE changes on " + connectedOrConfigured() + " failed: "
                        + e.getMessage(), e);
            }
            LOG.info("cleared the pending NEIGH_TABLE changes on {}: {} Redis keys deleted", connectedOrConfigured(),
                    deleted);
            if (deleted > 0) {
                raiseDoubt("pending changes cleared");
            }
        }
    }

    /**
     * The applied {@code NEIGH_TABLE:*} entries alone, parsed and filtered as {@link #readState}
     * does; leaves the doubt of {@link #stateInDoubt} as it is.
     */
    @Override
    public Map<NeighborKey, NeighborRecord> readApplied() throws SinkException {
        return records(appliedContents());
    }

    /** The applied {@code NEIGH_TABLE:*} entries as they are, read under the lock. */
    private ProducerStateTable.Contents appliedContents() throws SinkException {
        synchronized (lock) {
            connect();
            try {
                ProducerStateTable.Contents contents = table.readApplied(jedis);
                failing = false;
                return contents;
            } catch (JedisException | IllegalStateException | ClassCastException e) {
                disconnect();
                throw failure("reading the applied NEIGH_TABLE entries from " + connectedOrConfigured() + " failed: "
                        + e.getMessage(), e);
            }
        }
    }

    /** See {@link WarmRestartStore#unreadableApplied}: the applied entries {@link #readApplied} leaves out. */
    @Override
    public Set<String> unreadableApplied() throws SinkException {
        ProducerStateTable.Contents contents = appliedContents();
        Set<String> keys = new LinkedHashSet<>(contents.notHashes());
        contents.entries().forEach((key, fields) -> {
            if (record(key, fields) == null) {
                keys.add(key);
            }
        });
        return keys;
    }

    /** See {@link WarmRestartStore#deleteApplied}: the producer's delete of each key as it is spelled. */
    @Override
    public void deleteApplied(Collection<String> keys) throws SinkException {
        if (keys.isEmpty()) {
            return;
        }
        synchronized (lock) {
            connect();
            try {
                gapUnderFence();
                table.deleteKeys(jedis, keys);
                gapUnderFence();
                failing = false;
            } catch (JedisException | IllegalStateException e) {
                disconnect();
                throw failure("deleting " + keys.size() + " NEIGH_TABLE keys on " + connectedOrConfigured()
                        + " failed: " + e.getMessage(), e);
            }
            Set<String> deleted = new HashSet<>(keys);
            recentlySet.removeIf(k -> deleted.contains(k.toString()));
        }
        LOG.info("deleted {} NEIGH_TABLE entries that are not neighbors as neighsyncd writes them, e.g. {}",
                keys.size(), keys.stream().limit(NAMED_UNREADABLE).toList());
    }

    /**
     * The record of one effective entry, or {@code null} when it is not one neighsyncd could have
     * written: the key in canonical form, {@code neigh} a lower-case MAC, {@code family} the
     * address's (other fields do not matter, as in SONiC's warm-restart comparison).
     */
    static NeighborRecord record(String key, Map<String, String> fields) {
        NeighborKey k = NeighborKey.canonical(key).orElse(null);
        MacAddress mac;
        try {
            mac = MacAddress.parse(fields.get(NeighborRecord.FIELD_NEIGH));
        } catch (IllegalArgumentException e) {
            return null;
        }
        // neighsyncd writes keys and MACs only in their canonical form; another spelling is someone else's
        if (k == null || !mac.toString().equals(fields.get(NeighborRecord.FIELD_NEIGH))
                || !k.ip().family().sonicName().equals(fields.get(NeighborRecord.FIELD_FAMILY))) {
            return null;
        }
        return new NeighborRecord(k, mac);
    }

    /**
     * Caller holds the lock: under a fence, a gap in the replication stream, so that followers read
     * NEIGH_TABLE again after a change the stream does not describe (and a deposed leader changes
     * nothing: the gap script refuses its token).
     */
    private void gapUnderFence() {
        Leadership leader = leadership.current().orElse(null);
        if (leader == null) {
            return;
        }
        WriteFence f = leader.fence().orElseThrow(() -> new IllegalStateException(
                "this instance stands by (it does not hold the lease): NEIGH_TABLE is not changed"));
        try {
            new FencedWrites(table, settings.namespace()).gap(jedis, f);
        } catch (JedisException e) {
            if (FencedWrites.isFenced(e)) {
                leader.fenced(f.token());
            }
            throw e;
        }
    }

    private void raiseDoubt(String why) {
        if (!doubt) {
            doubt = true;
            LOG.info("NEIGH_TABLE on {} in doubt, will be read back: {}", connectedOrConfigured(), why);
        }
    }

    /** The {@code run_id} of an {@code INFO server} reply (text or bytes). */
    static String runId(Object infoReply) {
        String info = infoReply instanceof byte[] ? new String((byte[]) infoReply, StandardCharsets.UTF_8)
                : String.valueOf(infoReply);
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        throw new IllegalStateException("INFO server has no run_id");
    }

    /** How often scripts were loaded again after NOSCRIPT, on every connection so far. */
    long scriptReloads() {
        return meters.requests().scriptReloads();
    }

    /** The meters of the APPL_DB connection: {@link AppDbMeters}. */
    @Override
    public List<StageHistogram> stages() {
        return meters.requests().stages();
    }

    @Override
    public List<MeterSpec> meters() {
        return meters.specs();
    }

    private boolean isConnected() {
        return jedis != null && !jedis.isBroken() && jedis.isConnected();
    }

    private void connect() throws SinkException {
        if (isConnected()) {
            return;
        }
        disconnect();
        RedisDatabase appl;
        try {
            appl = settings.resolveLayout().appl();
        } catch (IllegalArgumentException e) {
            meters.connectFailed();
            throw failure("cannot locate APPL_DB: " + e.getMessage(), e);
        }
        Jedis j = null;
        try {
            j = RedisClients.open(appl, settings.connectTimeoutMillis(), settings.socketTimeoutMillis(),
                    "neighsyncd-appldb");
            Jedis opened = j;
            ProducerStateTable t = new ProducerStateTable(TABLE, appl.separator(), appl.id(), meters.requests());
            t.loadScripts(opened);
            String runId = runId(meters.requests().roundTrip(() -> opened.info("server")));
            jedis = j;
            table = t;
            connectedTo = appl;
            meters.connected();
            LOG.info("APPL_DB sink connected to {}", appl);
            raiseDoubt(readRunId != null && !readRunId.equals(runId)
                    ? "new connection, Redis restarted (run_id changed)" : "new connection");
        } catch (JedisException | IllegalStateException e) {
            if (j != null) {
                j.close();
            }
            meters.connectFailed();
            throw failure("cannot connect to " + appl + ": " + e.getMessage(), e);
        }
    }

    /** A rejected configuration (the last good one is in force), and APPL_DB unreachable since the last failure. */
    @Override
    public Set<Problem> problems() {
        Set<Problem> p = new java.util.TreeSet<>();
        String rejected = RejectionLog.current();
        if (rejected != null) {
            p.add(Problem.degraded(RedisSettings.PID, rejected + "; the last good configuration is in force"));
        }
        String failure = lastFailure;
        if (failing && failure != null) {
            p.add(Problem.notReady(RedisSettings.PID, "APPL_DB unreachable: " + failure));
        }
        return p;
    }

    private SinkException failure(String message, Exception cause) {
        lastFailure = message;
        if (!failing) {
            failing = true;
            LOG.warn("{} (will retry on the next write)", message);
        } else {
            LOG.debug("{}", message);
        }
        return new SinkException(message, cause);
    }

    private String connectedOrConfigured() {
        return connectedTo != null ? connectedTo.toString() : "APPL_DB";
    }

    private void disconnect() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the APPL_DB connection failed", e);
            }
        }
        jedis = null;
        table = null;
        meters.disconnected();
    }
}
