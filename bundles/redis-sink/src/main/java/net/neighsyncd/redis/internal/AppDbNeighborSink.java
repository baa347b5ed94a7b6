package net.neighsyncd.redis.internal;

import java.util.List;
import java.util.Map;
import net.neighsyncd.api.NeighborChange;
import net.neighsyncd.api.NeighborSink;
import net.neighsyncd.api.SinkException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The APPL_DB sink: writes {@code NEIGH_TABLE} as a SONiC ProducerStateTable producer. Connects
 * on first use and again after any failure; every failure is a {@link SinkException} that the
 * core retries, and none ends the process.
 */
@Component(
        service = NeighborSink.class,
        property = NeighborSink.APPL_DB_PROPERTY + ":Boolean=true",
        configurationPid = RedisSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AppDbNeighborSink.Config.class)
public class AppDbNeighborSink implements NeighborSink {

    /** The configuration of PID {@code net.neighsyncd.redis}, shared with the CONFIG_DB switch-modes reader. */
    @ObjectClassDefinition(
            id = RedisSettings.PID,
            name = "neighsyncd Redis databases",
            description = "Where SONiC's databases are (APPL_DB for NEIGH_TABLE, CONFIG_DB for the switch modes) "
                    + "and how neighsyncd writes to them. Invalid values are rejected with a log line and the "
                    + "last good configuration stays in force.")
    public @interface Config {
        @AttributeDefinition(
                name = "database_config.json",
                description = "Path of SONiC's database_config.json naming the Redis instances and the APPL_DB, "
                        + "CONFIG_DB and STATE_DB numbers; a Unix socket is used when its file exists, else TCP. "
                        + "In a multi-ASIC namespace asicN: /var/run/redisN/sonic-db/database_config.json. "
                        + "Read at each connect.")
        String databaseConfig() default DatabaseLocator.DEFAULT_DATABASE_CONFIG;

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
                description = "How often CONFIG_DB is scanned for PEER_SWITCH (dual ToR) and the "
                        + "ipv6_use_link_local_only interface setting, in milliseconds. Range 100..60000.",
                min = "100", max = "60000")
        int pollIntervalMillis() default RedisSettings.DEFAULT_POLL_INTERVAL;
    }

    static final String TABLE = "NEIGH_TABLE";
    private static final Logger LOG = LoggerFactory.getLogger(AppDbNeighborSink.class);

    private final Object lock = new Object();
    private RedisSettings settings = RedisSettings.DEFAULTS;
    private Jedis jedis;
    private ProducerStateTable table;
    private RedisDatabase connectedTo;
    private boolean failing;

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties, false);
        LOG.info("APPL_DB sink active: {}", settings);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties, true);
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            disconnect();
        }
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
            }
            if (logChange && !previous.equals(next)) {
                LOG.info("APPL_DB sink reconfigured: {}", next);
            }
        }
    }

    /** The settings in force. */
    RedisSettings settings() {
        synchronized (lock) {
            return settings;
        }
    }

    @Override
    public void apply(List<NeighborChange> changes) throws SinkException {
        if (changes.isEmpty()) {
            return;
        }
        synchronized (lock) {
            connect();
            try {
                table.write(jedis, changes, settings.batchSize());
                failing = false;
            } catch (JedisException | IllegalStateException e) {
                disconnect();
                throw failure("writing " + changes.size() + " NEIGH_TABLE changes to " + connectedOrConfigured()
                        + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** How often scripts were loaded again after NOSCRIPT, on the current connection. */
    int scriptReloads() {
        synchronized (lock) {
            return table == null ? 0 : table.scriptReloads();
        }
    }

    private void connect() throws SinkException {
        if (jedis != null && !jedis.isBroken() && jedis.isConnected()) {
            return;
        }
        disconnect();
        RedisDatabase appl;
        try {
            appl = settings.resolveLayout().appl();
        } catch (IllegalArgumentException e) {
            throw failure("cannot locate APPL_DB: " + e.getMessage(), e);
        }
        Jedis j = null;
        try {
            j = RedisClients.open(appl, settings.connectTimeoutMillis(), settings.socketTimeoutMillis(),
                    "neighsyncd-appldb");
            ProducerStateTable t = new ProducerStateTable(TABLE, appl.separator(), appl.id());
            t.loadScripts(j);
            jedis = j;
            table = t;
            connectedTo = appl;
            LOG.info("APPL_DB sink connected to {}", appl);
        } catch (JedisException | IllegalStateException e) {
            if (j != null) {
                j.close();
            }
            throw failure("cannot connect to " + appl + ": " + e.getMessage(), e);
        }
    }

    private SinkException failure(String message, Exception cause) {
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
    }
}
