package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * Bursts written by {@link ProducerStateTable#write} reach a consumer woken as SONiC's is (one pop
 * of at most its batch size per channel message, docs/sonic-contract.md §3) completely: nothing is left
 * waiting in {@code NEIGH_TABLE_KEY_SET}. Each burst goes to three databases at once, each with a
 * consumer popping 1, 128 (orchagent) and 1,000 keys per wake-up, subscribed before the writes.
 */
@Timeout(300)
class ProducerStateTableNotificationTest extends RealRedisTest {
    /** The consumers' pop batch sizes, one database each (db 1, 2, 3). */
    private static final int[] POP_BATCH_SIZES = {1, OrchagentConsumer.ORCHAGENT_POP_BATCH_SIZE, 1_000};
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String MAC = "02:00:00:00:00:01";

    /** The sink's batch sizes: SONiC's single-key scripts, the default and the largest allowed. */
    static Stream<Integer> sinkBatchSizes() {
        return Stream.of(1, RedisSettings.DEFAULT_BATCH_SIZE, RedisSettings.MAX_BATCH_SIZE);
    }

    /**
     * Every burst with every sink batch size, but 100,000 keys only with 1 and the default: three
     * databases of 100,000 writes, messages and pops take Redis seconds per case.
     */
    static Stream<Arguments> burstsAndSinkBatchSizes() {
        return Stream.concat(Stream.of(1, 127, 128, 129, 10_000).flatMap(n -> sinkBatchSizes().map(b -> Arguments.of(n, b))),
                Stream.of(Arguments.of(100_000, 1), Arguments.of(100_000, RedisSettings.DEFAULT_BATCH_SIZE)));
    }

    @ParameterizedTest(name = "a burst of {0} new keys written {1} per script call is popped completely")
    @MethodSource("burstsAndSinkBatchSizes")
    void aBurstOfNewKeysIsPoppedCompletelyByConsumersWokenPerMessage(int n, int sinkBatchSize) throws Exception {
        // given consumers popping 1, 128 and 1000 per wake-up, subscribed to an empty table
        List<NeighborChange> burst = sets(0, n, MAC);
        try (Consumers consumers = new Consumers()) {
            // when the burst is written
            consumers.write(burst, sinkBatchSize);
            // then once every wake-up is handled, each consumer popped every key once and nothing waits
            consumers.awaitIdle();
            for (int i = 0; i < POP_BATCH_SIZES.length; i++) {
                String which = consumers.describe(i);
                List<Entry> popped = consumers.get(i).takeAll();
                assertEquals(n, popped.size(), which);
                assertEquals(keys(burst), popped.stream().map(Entry::key).collect(Collectors.toSet()), which);
                assertTrue(popped.stream().noneMatch(Entry::isDelete), which);
                assertEquals(n, consumers.get(i).wakeUpsHandled(), which + ": one message per new key");
                consumers.assertNothingWaiting(i, n);
            }
        }
    }

    @ParameterizedTest(name = "{0} deletes of applied keys written {1} per script call are all popped as deletes")
    @MethodSource("deletesAndSinkBatchSizes")
    void deletesOfAppliedKeysArePoppedCompletely(int n, int sinkBatchSize) throws Exception {
        List<NeighborChange> sets = sets(0, n, MAC);
        try (Consumers consumers = new Consumers()) {
            // given n applied entries, popped by the consumers
            consumers.write(sets, sinkBatchSize);
            consumers.awaitIdle();
            for (int i = 0; i < POP_BATCH_SIZES.length; i++) {
                assertEquals(n, consumers.get(i).takeAll().size(), consumers.describe(i));
            }
            // when every one of them is deleted in one burst
            List<NeighborChange> deletes = sets.stream().map(c -> NeighborChange.delete(c.key())).toList();
            consumers.write(deletes, sinkBatchSize);
            // then each consumer popped a delete per key, and nothing is applied or waiting
            consumers.awaitIdle();
            for (int i = 0; i < POP_BATCH_SIZES.length; i++) {
                String which = consumers.describe(i);
                List<Entry> popped = consumers.get(i).takeAll();
                assertEquals(n, popped.size(), which);
                assertTrue(popped.stream().allMatch(e -> e.isDelete() && e.deletedFirst()), which);
                assertEquals(keys(sets), popped.stream().map(Entry::key).collect(Collectors.toSet()), which);
                consumers.assertNothingWaiting(i, 0);
            }
        }
    }

    static Stream<Arguments> deletesAndSinkBatchSizes() {
        return Stream.of(129, 10_000).flatMap(n -> sinkBatchSizes().map(b -> Arguments.of(n, b)));
    }

    @ParameterizedTest(name = "a mixed burst of sets and deletes written {0} per script call ends as the last change per key")
    @MethodSource("sinkBatchSizes")
    void aMixedBurstOfSetsAndDeletesEndsInTheLastChangeOfEachKey(int sinkBatchSize) throws Exception {
        // given 5000 applied entries
        Random random = new Random(9);
        List<NeighborChange> applied = sets(0, 5_000, MAC);
        // and a burst of 30000 sets and deletes over 10000 keys (half of them new), many keys more than once
        List<NeighborChange> burst = new ArrayList<>();
        Map<String, NeighborChange> last = new HashMap<>();
        applied.forEach(c -> last.put(c.key().toString(), c));
        for (int i = 0; i < 30_000; i++) {
            String key = key(random.nextInt(10_000));
            NeighborChange c = random.nextInt(3) == 0 ? del(key)
                    : set(key, String.format("02:00:00:00:%02x:%02x", i >> 8 & 0xFF, i & 0xFF));
            burst.add(c);
            last.put(c.key().toString(), c);
        }
        Map<String, Map<String, String>> expected = new TreeMap<>();
        last.forEach((key, c) -> {
            if (c.op() == NeighborChange.Op.SET) {
                expected.put(key, new TreeMap<>(c.record().fields()));
            }
        });
        try (Consumers consumers = new Consumers()) {
            consumers.write(applied, sinkBatchSize);
            consumers.awaitIdle();
            // when the burst is written
            consumers.write(burst, sinkBatchSize);
            // then every consumer holds exactly the last change of each key, and nothing waits
            consumers.awaitIdle();
            for (int i = 0; i < POP_BATCH_SIZES.length; i++) {
                consumers.assertNothingWaiting(i, expected.size());
                assertEquals(expected, consumers.inspector(i).appliedEntries(), consumers.describe(i));
            }
        }
    }

    @Test
    void aConsumerSubscribedAfterTheWritesStillPopsEverythingFromItsInitialCount() throws Exception {
        // given 1000 new keys written before any consumer listens
        List<NeighborChange> burst = sets(0, 1_000, MAC);
        try (Jedis producer = productionClient(1)) {
            new ProducerStateTable("NEIGH_TABLE", ":", 1).write(producer, burst, RedisSettings.DEFAULT_BATCH_SIZE);
        }
        // when orchagent's consumer subscribes
        try (OrchagentConsumer consumer = OrchagentConsumer.start(redis, 1, "NEIGH_TABLE")) {
            // then it starts with one wake-up per pending key and pops them all
            assertEquals(1_000, consumer.initialWakeUps());
            consumer.awaitIdle(WAIT);
            assertEquals(keys(burst), consumer.takeAll().stream().map(Entry::key).collect(Collectors.toSet()));
            try (Jedis j = redis.jedis(1)) {
                assertEquals(0, j.scard("NEIGH_TABLE_KEY_SET"));
            }
        }
    }

    /** Sets of keys {@code from..to-1}, on 64 interfaces, IPv4 10.x.y.z, all with {@code mac}. */
    private static List<NeighborChange> sets(int from, int to, String mac) {
        List<NeighborChange> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(set(key(i), mac));
        }
        return out;
    }

    private static String key(int i) {
        return "Ethernet" + (i % 64) + ":10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
    }

    private static Set<String> keys(List<NeighborChange> changes) {
        return changes.stream().map(c -> c.key().toString()).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** One consumer per pop batch size, database 1, 2, 3, and what writes to those databases. */
    private static final class Consumers implements AutoCloseable {
        private final List<OrchagentConsumer> consumers = new ArrayList<>();
        private final List<ProducerStateTableConsumer> inspectors = new ArrayList<>();

        Consumers() {
            try {
                for (int i = 0; i < POP_BATCH_SIZES.length; i++) {
                    consumers.add(OrchagentConsumer.start(redis, i + 1, "NEIGH_TABLE", POP_BATCH_SIZES[i]));
                    inspectors.add(new ProducerStateTableConsumer(redis.jedis(i + 1), "NEIGH_TABLE"));
                }
            } catch (RuntimeException e) {
                try {
                    close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        OrchagentConsumer get(int i) {
            return consumers.get(i);
        }

        String describe(int i) {
            return "consumer popping " + POP_BATCH_SIZES[i] + " per wake-up (db " + (i + 1) + ")";
        }

        /** Views of the consumer's database (never used to pop). */
        ProducerStateTableConsumer inspector(int i) {
            return inspectors.get(i);
        }

        /** Writes {@code changes} into the three databases at once, one producer connection each. */
        void write(List<NeighborChange> changes, int sinkBatchSize) throws Exception {
            List<Thread> writers = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int i = 0; i < consumers.size(); i++) {
                int db = i + 1;
                Thread t = new Thread(() -> {
                    try (Jedis producer = productionClient(db)) {
                        new ProducerStateTable("NEIGH_TABLE", ":", db).write(producer, changes, sinkBatchSize);
                    } catch (RuntimeException | Error e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }, "producer-db" + db);
                t.start();
                writers.add(t);
            }
            for (Thread t : writers) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw new AssertionError("a write failed", failures.get(0));
            }
        }

        void awaitIdle() throws InterruptedException {
            for (OrchagentConsumer c : consumers) {
                c.awaitIdle(WAIT);
            }
        }

        /**
         * Nothing in the key set or the del set of the consumer's database, and no Redis key there
         * but the {@code applied} entries {@code NEIGH_TABLE:*} (so no {@code _NEIGH_TABLE:*} either).
         */
        void assertNothingWaiting(int i, long applied) {
            String which = describe(i) + ": " + consumers.get(i).summary();
            try (Jedis j = redis.jedis(i + 1)) {
                assertEquals(0, j.scard("NEIGH_TABLE_KEY_SET"), which);
                assertEquals(0, j.scard("NEIGH_TABLE_DEL_SET"), which);
                assertEquals(applied, j.dbSize(), which);
            }
        }

        @Override
        public void close() throws Exception {
            for (OrchagentConsumer c : consumers) {
                c.close();
            }
        }
    }
}
