package net.neighsyncd.redis.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.testsupport.RedisServer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Listens on one pub/sub channel in a thread of its own and queues what arrives. */
final class Subscriber implements AutoCloseable {
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final JedisPubSub pubSub = new JedisPubSub() {
        @Override
        public void onSubscribe(String channel, int count) {
            subscribed.countDown();
        }

        @Override
        public void onMessage(String channel, String message) {
            messages.add(message);
        }
    };
    private final Jedis jedis;
    private final Thread thread;
    private final String channel;

    Subscriber(RedisServer redis, String channel) throws InterruptedException {
        this.channel = channel;
        this.jedis = redis.jedis(0);
        this.thread = new Thread(() -> jedis.subscribe(pubSub, channel), "subscriber-" + channel);
        thread.setDaemon(true);
        thread.start();
        if (!subscribed.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not subscribed to " + channel);
        }
    }

    /**
     * The next message, or null if none comes within {@code millis}. To prove that nothing was
     * published, publish a marker after the operation and expect the marker next.
     */
    String next(long millis) throws InterruptedException {
        return messages.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Publishes {@code marker} on the channel from another connection. */
    void mark(RedisServer redis, String marker) {
        try (Jedis j = redis.jedis(0)) {
            j.publish(channel, marker);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (pubSub.isSubscribed()) {
            pubSub.unsubscribe();
        }
        thread.join(5000);
        jedis.close();
    }
}
