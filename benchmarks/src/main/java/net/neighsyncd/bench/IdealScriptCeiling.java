package net.neighsyncd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.ScriptCall;
import net.neighsyncd.testsupport.RedisServer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The ceiling the daemon's Redis time per key is held against: the least a ProducerStateTable
 * producer can ask of Redis for N new keys with one channel message each. Against a fresh
 * redis-server with the same consumer as the daemon's runs (subscribed, so each PUBLISH has its
 * one receiver, and popping), {@link #SCRIPT} writes the benchmark's N neighbors as the daemon
 * does ({@code NEIGH_TABLE_KEY_SET}, {@code _NEIGH_TABLE:<key>} with {@code neigh} and
 * {@code family}, a message on {@code NEIGH_TABLE_CHANNEL@0}), {@value #KEYS_PER_CALL} keys per
 * EVALSHA, {@value #CALLS_PER_ROUND_TRIP} calls pipelined per round trip. Its Redis time is read
 * and attributed as the daemon's ({@link RedisCommandStats}).
 */
final class IdealScriptCeiling {
    static final int KEYS_PER_CALL = 512;
    static final int CALLS_PER_ROUND_TRIP = 16;

    /**
     * KEYS[1] the key set, KEYS[2] the channel, KEYS[2 + i] the pending hash of key i; ARGV per
     * key i: the key, its neigh and its family. Per key: SADD, one HSET of both fields, PUBLISH.
     */
    static final String SCRIPT = String.join("\n",
            "for i = 1, #KEYS - 2 do",
            "  local a = 3 * i - 2",
            "  redis.call('SADD', KEYS[1], ARGV[a])",
            "  redis.call('HSET', KEYS[i + 2], 'neigh', ARGV[a + 1], 'family', ARGV[a + 2])",
            "  redis.call('PUBLISH', KEYS[2], 'G')",
            "end",
            "return #KEYS - 2");

    /** Redis microseconds and commands per key, and whether the consumer popped all N. */
    record Result(double microsPerKey, double callsPerKey, boolean complete) {
    }

    private IdealScriptCeiling() {
    }

    static Result measure(int n, long timeoutSeconds) throws Exception {
        try (RedisServer redis = RedisServer.start();
                OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 0, "NEIGH_TABLE", ScriptCall.EVAL);
                Jedis jedis = redis.jedis(0)) {
            String sha = jedis.scriptLoad(SCRIPT);
            ConsumerWork consumer = ConsumerWork.since(orchagent);
            RedisCommandStats.reset(jedis);
            int calls = 0;
            Pipeline p = jedis.pipelined();
            for (int from = 1; from <= n; from += KEYS_PER_CALL) {
                int to = Math.min(n, from + KEYS_PER_CALL - 1);
                List<String> keys = new ArrayList<>(to - from + 3);
                List<String> args = new ArrayList<>(3 * (to - from + 1));
                keys.add("NEIGH_TABLE_KEY_SET");
                keys.add("NEIGH_TABLE_CHANNEL@0");
                for (int i = from; i <= to; i++) {
                    keys.add("_NEIGH_TABLE:" + NeighborSet.key(i));
                    args.add(NeighborSet.key(i));
                    args.add(NeighborSet.mac(i));
                    args.add("IPv4");
                }
                p.evalsha(sha, keys, args);
                if (++calls % CALLS_PER_ROUND_TRIP == 0) {
                    p.sync();
                    p = jedis.pipelined();
                }
            }
            p.sync();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (consumer.keys() < n && System.nanoTime() < end) {
                consumer.drain();
                TimeUnit.MILLISECONDS.sleep(5);
            }
            boolean complete = consumer.keys() >= n;
            orchagent.awaitIdle(Duration.ofSeconds(timeoutSeconds));
            consumer.drain();
            RedisCommandStats stats = RedisCommandStats.read(jedis);
            return new Result((double) stats.producerMicros() / n, (double) stats.producerCalls(consumer) / n,
                    complete);
        }
    }
}
