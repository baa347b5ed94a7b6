package net.neighsyncd.redis.internal;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Follows CONFIG_DB's keyspace notifications for the tables the switch modes come from, as
 * SONiC's own daemons do, so that nothing polls while nothing changes. Redis sends them only
 * when {@code notify-keyspace-events} has {@code K} with the hash and generic classes ({@code A},
 * or {@code h} and {@code g}): SONiC's Redis has them on. Where they are off, or while the
 * subscription is down, the owner polls; {@code onState} says which holds.
 *
 * <p>Every notification and every (re)subscription calls {@code onChange}: a subscription may
 * have missed changes while it was down.
 */
final class KeyspaceWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyspaceWatch.class);

    private final Supplier<RedisDatabase> database;
    private final Supplier<RedisSettings> settings;
    private final Runnable onChange;
    private final Consumer<Boolean> onState;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Jedis connection;
    private volatile JedisPubSub subscription;
    private String lastWhyNot;

    /**
     * @param onChange called on the watch's thread after a notification of a watched key, and
     *                 once after each subscription
     * @param onState  true once notifications flow, false when they stopped or Redis sends none
     */
    KeyspaceWatch(Supplier<RedisDatabase> database, Supplier<RedisSettings> settings, Runnable onChange,
            Consumer<Boolean> onState) {
        this.database = database;
        this.settings = settings;
        this.onChange = onChange;
        this.onState = onState;
        this.thread = new Thread(this::run, "neighsyncd-configdb-keyspace");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether {@code notify-keyspace-events} makes Redis tell of HSET/HDEL/DEL on hashes. */
    static boolean covers(String flags) {
        boolean keyspace = flags.indexOf('K') >= 0;
        boolean all = flags.indexOf('A') >= 0;
        return keyspace && (all || (flags.indexOf('h') >= 0 && flags.indexOf('g') >= 0));
    }

    /** The channel patterns of the keys {@link ConfigDbReader} reads. */
    static List<String> patterns(RedisDatabase db) {
        String prefix = "__keyspace@" + db.id() + "__:";
        String sep = ConfigDbReader.glob(db.separator());
        return List.of(prefix + ConfigDbReader.PEER_SWITCH + sep + "*",
                prefix + ConfigDbReader.VXLAN_EVPN_NVO + sep + "*",
                prefix + ConfigDbReader.VRF + sep + "*",
                prefix + "*INTERFACE" + sep + "*");
    }

    private void run() {
        while (!closed) {
            RedisDatabase db;
            RedisSettings s = settings.get();
            try {
                db = database.get();
                try (Jedis jedis = RedisClients.open(db, s.connectTimeoutMillis(), 0, "neighsyncd-configdb-keyspace")) {
                    connection = jedis;
                    List<String> config = jedis.configGet("notify-keyspace-events").values().stream().toList();
                    String flags = config.isEmpty() ? "" : config.get(0);
                    if (!covers(flags)) {
                        whyNot("notify-keyspace-events is '" + flags + "' on " + db
                                + " (needs K and A, or K, h and g): polling CONFIG_DB every " + s.pollIntervalMillis()
                                + " ms");
                        onState.accept(false);
                        pause(Math.max(60_000, s.pollIntervalMillis()));
                        continue;
                    }
                    JedisPubSub pubsub = new JedisPubSub() {
                        @Override
                        public void onPSubscribe(String pattern, int count) {
                            if (count == patterns(db).size()) {
                                lastWhyNot = null;
                                LOG.info("following CONFIG_DB keyspace notifications on {}; no polling", db);
                                onState.accept(true);
                                onChange.run();
                            }
                        }

                        @Override
                        public void onPMessage(String pattern, String channel, String message) {
                            onChange.run();
                        }
                    };
                    subscription = pubsub;
                    jedis.psubscribe(pubsub, patterns(db).toArray(new String[0]));
                }
            } catch (JedisException | IllegalArgumentException | IllegalStateException e) {
                if (!closed) {
                    whyNot("CONFIG_DB keyspace notifications unavailable (" + e.getMessage() + "): polling CONFIG_DB every "
                            + s.pollIntervalMillis() + " ms until they are back");
                }
            } finally {
                subscription = null;
                connection = null;
            }
            if (!closed) {
                onState.accept(false);
                pause(Math.max(1_000, s.pollIntervalMillis()));
            }
        }
    }

    private void whyNot(String why) {
        if (!why.equals(lastWhyNot)) {
            lastWhyNot = why;
            LOG.info("{}", why);
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        JedisPubSub p = subscription;
        if (p != null && p.isSubscribed()) {
            try {
                p.punsubscribe();
            } catch (JedisException e) {
                LOG.debug("ending the keyspace subscription failed", e);
            }
        }
        Jedis j = connection;
        if (j != null) {
            try {
                j.disconnect();
            } catch (JedisException e) {
                LOG.debug("closing the keyspace connection failed", e);
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
