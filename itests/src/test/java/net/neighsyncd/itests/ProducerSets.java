package net.neighsyncd.itests;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.neighsyncd.testsupport.RedisServer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Every set a producer made to APPL_DB {@code NEIGH_TABLE}, counted per key from Redis itself:
 * the keyspace notification of each {@code HSET} of {@code _NEIGH_TABLE:<key>} (what every
 * ProducerStateTable set does), whichever instance wrote it. Turns keyspace notifications on.
 */
final class ProducerSets implements AutoCloseable {
    private static final String PREFIX = "__keyspace@0__:_NEIGH_TABLE:";

    private final Map<String, AtomicInteger> sets = new ConcurrentHashMap<>();
    private final Jedis subscriber;
    private final JedisPubSub pubSub;
    private final Thread thread;

    private ProducerSets(RedisServer redis) throws InterruptedException {
        try (Jedis admin = redis.jedis(0)) {
            admin.configSet("notify-keyspace-events", "Kh");
        }
        subscriber = redis.jedis(0);
        CountDownLatch subscribed = new CountDownLatch(1);
        pubSub = new JedisPubSub() {
            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.countDown();
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                if ("hset".equals(message)) {
                    sets.computeIfAbsent(channel.substring(PREFIX.length()), k -> new AtomicInteger()).incrementAndGet();
                }
            }
        };
        thread = new Thread(() -> subscriber.psubscribe(pubSub, PREFIX + "*"), "producer-sets");
        thread.setDaemon(true);
        thread.start();
        if (!subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("keyspace subscription not confirmed");
        }
    }

    static ProducerSets start(RedisServer redis) throws InterruptedException {
        return new ProducerSets(redis);
    }

    /** How often {@code key} ({@code <ifname>:<ip>}) was set so far. */
    int of(String key) {
        AtomicInteger n = sets.get(key);
        return n == null ? 0 : n.get();
    }

    /** A copy of every key's count so far. */
    Map<String, Integer> counts() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        sets.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            pubSub.punsubscribe();
        } catch (RuntimeException e) {
            // the connection is gone already
        }
        thread.join(5_000);
        subscriber.close();
    }
}
