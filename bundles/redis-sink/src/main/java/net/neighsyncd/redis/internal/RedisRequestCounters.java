package net.neighsyncd.redis.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Counts the requests one owner of a Redis connection sends and Redis answers: every round trip
 * (one per direct command, one per pipeline), and how often the Lua scripts had to be loaded
 * again after NOSCRIPT. Used from the owner's thread, read from any thread.
 */
final class RedisRequestCounters {
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong scriptReloads = new AtomicLong();

    /**
     * Sends one command and returns its reply, counting a round trip when Redis answered, with
     * an error reply too ({@link JedisDataException}); a failed connection counts nothing.
     */
    <T> T roundTrip(Supplier<T> command) {
        T reply;
        try {
            reply = command.get();
        } catch (JedisDataException e) {
            roundTrips.incrementAndGet();
            throw e;
        }
        roundTrips.incrementAndGet();
        return reply;
    }

    /** Sends what {@code pipeline} queued (at least one command) and reads the replies: one round trip. */
    void sync(Pipeline pipeline) {
        roundTrip(() -> {
            pipeline.sync();
            return null;
        });
    }

    /** The scripts were loaded again after Redis answered NOSCRIPT. */
    void scriptsReloaded() {
        scriptReloads.incrementAndGet();
    }

    /** Round trips Redis answered. */
    long roundTrips() {
        return roundTrips.get();
    }

    /** Times the scripts were loaded again after NOSCRIPT. */
    long scriptReloads() {
        return scriptReloads.get();
    }
}
