package net.neighsyncd.redis.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import net.neighsyncd.api.profiling.Stage;
import net.neighsyncd.api.profiling.StageHistogram;
import net.neighsyncd.stagetimer.StageRecorder;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Counts the requests one owner of a Redis connection sends and Redis answers: every round trip
 * (one per direct command, one per pipeline), and how often the Lua scripts had to be loaded
 * again after NOSCRIPT; and the latencies of the pipelines: building and queueing their calls
 * ({@link Stage#ENCODE}) and the round trip itself ({@link Stage#REDIS_ROUNDTRIP}), every one
 * timed. Used from the owner's thread, read from any thread.
 */
final class RedisRequestCounters {
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong scriptReloads = new AtomicLong();
    /** A pipeline's calls built and queued (one per pipeline: a few clock reads per thousands of changes). */
    final StageRecorder encode = new StageRecorder(Stage.ENCODE, 1);
    /** A pipeline sent and its replies read. */
    final StageRecorder roundTrip = new StageRecorder(Stage.REDIS_ROUNDTRIP, 1);

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

    /** The pipelines' stage histograms: encode and Redis round trip. */
    List<StageHistogram> stages() {
        return List.of(encode.snapshot(), roundTrip.snapshot());
    }
}
