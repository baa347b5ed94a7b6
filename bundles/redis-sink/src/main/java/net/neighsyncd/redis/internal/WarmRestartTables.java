package net.neighsyncd.redis.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Supplier;
import net.neighsyncd.api.engine.SinkException;
import net.neighsyncd.api.warmrestart.WarmRestartStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * SONiC's warm-restart tables in STATE_DB and CONFIG_DB (docs/sonic-contract.md §5), read and
 * written as swss-common's {@code WarmStart} does. It keeps a connection of its own to each of the two
 * databases, so that the startup thread calling it never waits for the APPL_DB writer, made on
 * first use and again after any failure or change of location; every failure is a
 * {@link SinkException}. Thread-safe: calls are serialised on a lock of its own.
 */
final class WarmRestartTables {
    static final String ENABLE_TABLE = "WARM_RESTART_ENABLE_TABLE";
    static final String ENABLE_SYSTEM = "system";
    static final String FIELD_ENABLE = "enable";
    static final String STATE_TABLE = "WARM_RESTART_TABLE";
    static final String FIELD_RESTORE_COUNT = "restore_count";
    static final String FIELD_STATE = "state";
    static final String CONFIG_TABLE = "WARM_RESTART";
    static final String TIMER_SUFFIX = "_timer";
    static final String RESTORE_TABLE = "NEIGH_RESTORE_TABLE";
    static final String RESTORE_KEY = "Flags";
    static final String FIELD_RESTORED = "restored";
    static final String TRUE = "true";
    /** swss-common's MAXIMUM_WARMRESTART_TIMER_VALUE. */
    static final int MAX_TIMER_SECONDS = 9999;

    private static final Logger LOG = LoggerFactory.getLogger(WarmRestartTables.class);

    private final Object lock = new Object();
    private final Supplier<RedisSettings> settings;
    private final Connection state = new Connection("STATE_DB", DatabaseLayout::state, "neighsyncd-statedb");
    private final Connection config = new Connection("CONFIG_DB", DatabaseLayout::config, "neighsyncd-configdb-warm");
    private boolean failing;

    /** @param settings the settings in force; read at every call, so a new location is used at the next one */
    WarmRestartTables(Supplier<RedisSettings> settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** See {@link WarmRestartStore#beginStart}. */
    boolean beginStart(String app, String docker) throws SinkException {
        requireName(app, "app");
        requireName(docker, "docker");
        return call(state, "deciding warm or cold start of " + app, (j, sep) -> {
            String key = STATE_TABLE + sep + app;
            Pipeline p = j.pipelined();
            Response<String> system = p.hget(ENABLE_TABLE + sep + ENABLE_SYSTEM, FIELD_ENABLE);
            Response<String> group = p.hget(ENABLE_TABLE + sep + docker, FIELD_ENABLE);
            Response<String> count = p.hget(key, FIELD_RESTORE_COUNT);
            p.sync();
            boolean enabled = TRUE.equals(system.get()) || TRUE.equals(group.get());
            if (!enabled) {
                writeColdStart(j, key);
                LOG.info("{} cold start: warm restart is enabled neither for the system nor for {}", app, docker);
                return false;
            }
            String text = count.get();
            if (text == null || text.isEmpty()) {
                LOG.warn("{} doing warm start, but {} has no {}: STATE_DB was flushed; falling back to cold start, "
                        + "as SONiC does", app, key, FIELD_RESTORE_COUNT);
                writeColdStart(j, key);
                return false;
            }
            long previous = restoreCount(text);
            if (previous < 0) {
                LOG.warn("{} doing warm start, but {} {} is \"{}\", not a count; falling back to cold start",
                        app, key, FIELD_RESTORE_COUNT, text);
                writeColdStart(j, key);
                return false;
            }
            writeStart(j, key, previous + 1, WarmRestartStore.STATE_INITIALIZED);
            LOG.info("{} doing warm start, restore count {}", app, previous + 1);
            return true;
        });
    }

    private static void writeStart(Jedis j, String key, long restoreCount, String state) {
        Map<String, String> fields = new LinkedHashMap<>(4);
        fields.put(FIELD_RESTORE_COUNT, Long.toString(restoreCount));
        fields.put(FIELD_STATE, state);
        j.hset(key, fields);
    }

    /**
     * A cold start writes {@code restore_count} = 0 and nothing else, as SONiC's neighsyncd does:
     * it never takes swss-common's "warm start disabled" path, so no {@code state} is written.
     */
    private static void writeColdStart(Jedis j, String key) {
        j.hset(key, FIELD_RESTORE_COUNT, "0");
    }

    /** The restore count written as a whole number >= 0, or -1 when it is not one. */
    static long restoreCount(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(t);
    }

    /** See {@link WarmRestartStore#setState}. */
    void setState(String app, String stateName) throws SinkException {
        requireName(app, "app");
        requireName(stateName, "state");
        call(state, "setting the warm-restart state of " + app + " to " + stateName, (j, sep) -> {
            j.hset(STATE_TABLE + sep + app, FIELD_STATE, stateName);
            return null;
        });
        LOG.info("{} warm start state changed to {}", app, stateName);
    }

    /** See {@link WarmRestartStore#reconcileTimerSeconds}. */
    OptionalInt reconcileTimerSeconds(String app, String docker) throws SinkException {
        requireName(app, "app");
        requireName(docker, "docker");
        String field = app + TIMER_SUFFIX;
        String[] where = new String[1];
        String value = call(config, "reading the warm-restart timer of " + app, (j, sep) -> {
            where[0] = CONFIG_TABLE + sep + docker;
            return j.hget(where[0], field);
        });
        if (value == null) {
            return OptionalInt.empty();
        }
        int seconds = timerSeconds(value);
        if (seconds < 0) {
            LOG.warn("CONFIG_DB {} {} = \"{}\" is not a number of seconds from 1 to {} as SONiC reads it "
                    + "(strtoul, base 0); the default applies",
                    where[0], field, value, MAX_TIMER_SECONDS);
            return OptionalInt.empty();
        }
        return OptionalInt.of(seconds);
    }

    /**
     * The timer value in seconds as SONiC reads it, or -1 when SONiC would use its default: the
     * text is read as C's {@code strtoul(text, NULL, 0)} does (leading white space, an optional
     * sign, {@code 0x} for hexadecimal, a leading {@code 0} for octal, up to the first character
     * that is not a digit of the base), and only a result from 1 to {@link #MAX_TIMER_SECONDS}
     * counts. So {@code 010} is 8, {@code 0x1e} is 30, {@code 30s} is 30, {@code 08} is 0 and
     * {@code -5} (which strtoul turns into a huge number) is not accepted.
     */
    static int timerSeconds(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && isCSpace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int base = 10;
        if (i + 1 < n && text.charAt(i) == '0' && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')
                && i + 2 < n && Character.digit(text.charAt(i + 2), 16) >= 0 && text.charAt(i + 2) < 128) {
            base = 16;
            i += 2;
        } else if (i < n && text.charAt(i) == '0') {
            base = 8;
        }
        long value = 0;
        for (; i < n; i++) {
            char c = text.charAt(i);
            int d = c < 128 ? Character.digit(c, base) : -1;
            if (d < 0) {
                break;
            }
            // anything past the largest accepted value is rejected whatever follows
            value = Math.min(value * base + d, MAX_TIMER_SECONDS + 1L);
        }
        if (negative && value != 0) {
            return -1; // strtoul negates in unsigned arithmetic: far above the maximum
        }
        return value >= 1 && value <= MAX_TIMER_SECONDS ? (int) value : -1;
    }

    /** C's {@code isspace} in the C locale. */
    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** See {@link WarmRestartStore#neighborsRestored}. */
    boolean neighborsRestored() throws SinkException {
        return call(state, "reading the neighbor restore flag",
                (j, sep) -> TRUE.equals(j.hget(RESTORE_TABLE + sep + RESTORE_KEY, FIELD_RESTORED)));
    }

    /** See {@link WarmRestartStore#markNeighborsRestored}. */
    void markNeighborsRestored() throws SinkException {
        call(state, "setting the neighbor restore flag", (j, sep) -> {
            j.hset(RESTORE_TABLE + sep + RESTORE_KEY, FIELD_RESTORED, TRUE);
            return null;
        });
    }

    /** Closes both connections; the next call connects again. */
    void close() {
        synchronized (lock) {
            state.disconnect();
            config.disconnect();
        }
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " must be a non-empty name");
        }
    }

    /** One use of a database: gets the connection and the database's table separator. */
    private interface Use<T> {
        T run(Jedis jedis, String separator);
    }

    private <T> T call(Connection c, String what, Use<T> use) throws SinkException {
        synchronized (lock) {
            Jedis j = c.connect(settings.get());
            try {
                T result = use.run(j, c.db.separator());
                if (failing) {
                    failing = false;
                    LOG.info("{} reachable again", c.db);
                }
                return result;
            } catch (JedisException | IllegalStateException | ClassCastException e) {
                c.disconnect();
                throw failure(what + " on " + c.db + " failed: " + e.getMessage(), e);
            }
        }
    }

    private SinkException failure(String message, Exception cause) {
        if (!failing) {
            failing = true;
            LOG.warn("{} (will connect again on the next call)", message);
        } else {
            LOG.debug("{}", message);
        }
        return new SinkException(message, cause);
    }

    /** A lazily made connection to one database; guarded by {@link #lock}. */
    private final class Connection {
        private final String name;
        private final Function<DatabaseLayout, RedisDatabase> select;
        private final String clientName;
        private Jedis jedis;
        private RedisDatabase db;
        private RedisSettings madeWith;

        Connection(String name, Function<DatabaseLayout, RedisDatabase> select, String clientName) {
            this.name = name;
            this.select = select;
            this.clientName = clientName;
        }

        Jedis connect(RedisSettings s) throws SinkException {
            if (jedis != null && !jedis.isBroken() && jedis.isConnected() && madeWith.sameConnection(s)) {
                return jedis;
            }
            disconnect();
            RedisDatabase d;
            try {
                d = select.apply(s.resolveLayout());
            } catch (IllegalArgumentException e) {
                throw failure("cannot locate " + name + ": " + e.getMessage(), e);
            }
            try {
                jedis = RedisClients.open(d, s.connectTimeoutMillis(), s.socketTimeoutMillis(), clientName);
                // Jedis connects lazily; make a dead server fail here, as a connect failure
                jedis.ping();
            } catch (JedisException e) {
                disconnect();
                throw failure("cannot connect to " + d + ": " + e.getMessage(), e);
            }
            db = d;
            madeWith = s;
            LOG.debug("connected to {}", d);
            return jedis;
        }

        void disconnect() {
            if (jedis != null) {
                try {
                    jedis.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing the {} connection failed", name, e);
                }
            }
            jedis = null;
        }
    }
}
