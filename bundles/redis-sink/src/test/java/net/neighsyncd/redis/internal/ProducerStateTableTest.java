package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** The producer side of docs/sonic-contract.md §3, against a real Redis, and what the consumer then receives. */
@Timeout(60)
class ProducerStateTableTest extends RealRedisTest {
    private static final String K1 = "Ethernet0:10.0.0.1";
    private static final String K2 = "Vlan1000:fc00::2";
    private static final String MAC1 = "aa:bb:cc:dd:ee:01";
    private static final String MAC2 = "aa:bb:cc:dd:ee:02";

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ProducerStateTable table = new ProducerStateTable("NEIGH_TABLE", ":", 0);

    @Test
    void aSetAddsTheKeyToTheKeySetAndWritesThePendingHashAndNothingElse() {
        try (Jedis producer = productionClient(0)) {
            // when
            table.write(producer, List.of(set(K1, MAC1), set(K2, MAC2)), 1);
        }
        // then
        Map<String, Object> db = dump(0);
        assertEquals(Set.of(K1, K2), db.get("NEIGH_TABLE_KEY_SET"));
        assertEquals(Map.of("neigh", MAC1, "family", "IPv4"), db.get("_NEIGH_TABLE:" + K1));
        assertEquals(Map.of("neigh", MAC2, "family", "IPv6"), db.get("_NEIGH_TABLE:" + K2));
        assertEquals(Set.of("NEIGH_TABLE_KEY_SET", "_NEIGH_TABLE:" + K1, "_NEIGH_TABLE:" + K2), db.keySet(),
                "no DEL_SET, and no NEIGH_TABLE:<key> written by the producer");
    }

    @Test
    void aSetInAVrfOnAnEvpnSwitchFirstDeletesTheHostRouteInTheSameRoundTrip() {
        // given a pending host route for the neighbor's address
        NeighborRecord r = new NeighborRecord(NeighborKey.parse(K1), MacAddress.parse(MAC1));
        try (Jedis producer = productionClient(0)) {
            String routeKey = "Vrf1:" + r.key().ip();
            producer.sadd("ROUTE_TABLE_KEY_SET", routeKey);
            producer.hset("_ROUTE_TABLE:" + routeKey, Map.of("nexthop", "10.9.9.9", "ifname", "Vlan10"));
            // when, in both single and batched mode
            for (int batchSize : new int[] {1, 512}) {
                table.write(producer, List.of(NeighborChange.setReplacingHostRoute(r, "Vrf1")), batchSize);
                // then the route is a pending delete (ProducerStateTable semantics) and the neighbor is set
                Map<String, Object> db = dump(0);
                assertEquals(Set.of(routeKey), db.get("ROUTE_TABLE_DEL_SET"));
                assertEquals(null, db.get("_ROUTE_TABLE:" + routeKey));
                assertEquals(Map.of("neigh", MAC1, "family", "IPv4"), db.get("_NEIGH_TABLE:" + K1));
            }
        }
    }

    @Test
    void aDeleteAddsTheKeyToBothSetsAndRemovesThePendingHash() {
        try (Jedis producer = productionClient(0)) {
            // given a pending set
            table.write(producer, List.of(set(K1, MAC1)), 1);
            // when
            table.write(producer, List.of(del(K1)), 1);
        }
        // then
        Map<String, Object> db = dump(0);
        assertEquals(Set.of(K1), db.get("NEIGH_TABLE_KEY_SET"));
        assertEquals(Set.of(K1), db.get("NEIGH_TABLE_DEL_SET"));
        assertEquals(Set.of("NEIGH_TABLE_KEY_SET", "NEIGH_TABLE_DEL_SET"), db.keySet());
    }

    @Test
    void theChannelGetsGOnlyWhenAKeyIsNewlyAddedToTheKeySet() throws Exception {
        try (Jedis producer = productionClient(0);
                Jedis inspect = redis.jedis(0);
                Subscriber channel = new Subscriber(redis, "NEIGH_TABLE_CHANNEL@0")) {
            ProducerStateTableConsumer consumer = new ProducerStateTableConsumer(inspect, "NEIGH_TABLE");
            // when a new key is set, then one G
            table.write(producer, List.of(set(K1, MAC1)), 1);
            assertEquals("G", channel.next(5000));
            // when the pending key is set again or deleted, then nothing is published
            table.write(producer, List.of(set(K1, MAC2)), 1);
            table.write(producer, List.of(del(K1)), 1);
            channel.mark(redis, "marker-1");
            assertEquals("marker-1", channel.next(5000));
            // when the consumer took the key and it is deleted, then one G again
            consumer.drainAllNotLikeOrchagent();
            table.write(producer, List.of(del(K1)), 1);
            assertEquals("G", channel.next(5000));
            // when a batch call adds two keys and sets one of them again, then one G per added key
            table.write(producer, List.of(set(K2, MAC1), set("Ethernet4:10.0.0.4", MAC2), set(K2, MAC2)), 512);
            channel.mark(redis, "marker-2");
            assertEquals("G", channel.next(5000));
            assertEquals("G", channel.next(5000));
            assertEquals("marker-2", channel.next(5000));
            // when a batch call touches only pending keys, then it publishes nothing
            table.write(producer, List.of(set(K2, MAC2), del(K1)), 512);
            channel.mark(redis, "marker-3");
            assertEquals("marker-3", channel.next(5000));
        }
    }

    @Test
    void theChannelNameCarriesTheDatabaseNumber() throws Exception {
        ProducerStateTable inDb5 = new ProducerStateTable("NEIGH_TABLE", ":", 5);
        try (Jedis producer = productionClient(5); Subscriber channel = new Subscriber(redis, "NEIGH_TABLE_CHANNEL@5")) {
            inDb5.write(producer, List.of(set(K1, MAC1)), 1);
            assertEquals("G", channel.next(5000));
        }
        assertEquals(Set.of(K1), dump(5).get("NEIGH_TABLE_KEY_SET"));
        assertTrue(dump(0).isEmpty());
    }

    @Test
    void orchagentReceivesASetThenADelete() throws Exception {
        for (int batchSize : new int[] {1, 512}) {
            redis.jedis(0).flushAll();
            try (Jedis producer = productionClient(0); Jedis inspect = redis.jedis(0);
                    OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 0, "NEIGH_TABLE")) {
                ProducerStateTableConsumer tableView = new ProducerStateTableConsumer(inspect, "NEIGH_TABLE");
                // when a set is written
                table.write(producer, List.of(set(K1, MAC1)), batchSize);
                // then orchagent is woken and pops a SET with both fields, and the entry is applied
                assertEquals(new Entry(K1, Map.of("neigh", MAC1, "family", "IPv4"), false), orchagent.next(WAIT));
                assertEquals(Map.of("neigh", MAC1, "family", "IPv4"), tableView.applied(K1));
                assertEquals(Set.of("NEIGH_TABLE:" + K1), tableView.redisKeys(), "nothing pending is left");
                // when a delete is written
                table.write(producer, List.of(del(K1)), batchSize);
                // then orchagent pops a DEL and the entry is gone
                Entry second = orchagent.next(WAIT);
                assertTrue(second.isDelete(), second.toString());
                assertTrue(second.deletedFirst());
                assertEquals(Set.of(), tableView.redisKeys());
                // and it was woken exactly twice
                orchagent.awaitIdle(WAIT);
                assertEquals(2, orchagent.wakeUpsHandled(), "batch size " + batchSize);
                assertEquals(0, orchagent.emptyPops(), "batch size " + batchSize);
            }
        }
    }

    @Test
    void aSetAfterADeleteBeforeOrchagentPopsIsADeleteThenAReCreate() throws Exception {
        try (Jedis producer = productionClient(0); Jedis inspect = redis.jedis(0);
                OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 0, "NEIGH_TABLE")) {
            ProducerStateTableConsumer tableView = new ProducerStateTableConsumer(inspect, "NEIGH_TABLE");
            // given an applied entry that also carries a field the new one will not have
            table.write(producer, List.of(set(K1, MAC1)), 1);
            orchagent.next(WAIT);
            inspect.hset(tableView.appliedKey(K1), "stale", "x");
            // when it is deleted and set again while orchagent is busy
            orchagent.hold();
            table.write(producer, List.of(del(K1)), 1);
            table.write(producer, List.of(set(K1, MAC2)), 1);
            orchagent.release();
            orchagent.awaitIdle(WAIT);
            // then one wake-up (the delete added the key, the set found it pending) pops it as a delete then a re-create
            assertEquals(List.of(new Entry(K1, Map.of("neigh", MAC2, "family", "IPv4"), true)), orchagent.takeAll());
            assertEquals(2, orchagent.wakeUpsHandled());
            assertEquals(Map.of("neigh", MAC2, "family", "IPv4"), tableView.applied(K1));
        }
    }

    @Test
    void batchedScriptCallsLeaveExactlyTheStateOfSingleCallsInTheSameOrderAndPublishAsOften() throws Exception {
        // given one random mixed sequence of calls, run with batch sizes 1 (db 1), 3 (db 2) and 512 (db 3)
        Random random = new Random(20240611);
        List<List<NeighborChange>> calls = new ArrayList<>();
        List<Boolean> popAfter = new ArrayList<>();
        String[] macs = {"00:00:00:00:00:00", "aa:bb:cc:dd:ee:01", "aa:bb:cc:dd:ee:02", "02:42:ac:11:00:02"};
        // the single scripts publish once per key they add to the key set, which only a pop empties
        long newlyPending = 0;
        Set<String> pending = new java.util.HashSet<>();
        for (int c = 0; c < 60; c++) {
            List<NeighborChange> call = new ArrayList<>();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(30);
                String key = k % 2 == 0 ? "Ethernet" + (k % 8) + ":10.0.0." + k : "Vlan1000:fc00::" + Integer.toHexString(k);
                call.add(random.nextInt(3) == 0 ? del(key) : set(key, macs[random.nextInt(macs.length)]));
                if (pending.add(key)) {
                    newlyPending++;
                }
            }
            calls.add(call);
            boolean pop = random.nextInt(5) == 0;
            popAfter.add(pop);
            if (pop) {
                pending.clear();
            }
        }
        int[] batchSizes = {1, 3, 512};
        ProducerStateTable[] tables = new ProducerStateTable[batchSizes.length];
        Jedis[] producers = new Jedis[batchSizes.length];
        ProducerStateTableConsumer[] consumers = new ProducerStateTableConsumer[batchSizes.length];
        Subscriber[] channels = new Subscriber[batchSizes.length];
        for (int i = 0; i < batchSizes.length; i++) {
            tables[i] = new ProducerStateTable("NEIGH_TABLE", ":", i + 1);
            producers[i] = productionClient(i + 1);
            consumers[i] = new ProducerStateTableConsumer(redis.jedis(i + 1), "NEIGH_TABLE");
            channels[i] = new Subscriber(redis, "NEIGH_TABLE_CHANNEL@" + (i + 1));
        }
        try {
            for (int c = 0; c < calls.size(); c++) {
                List<List<Entry>> received = new ArrayList<>();
                for (int i = 0; i < batchSizes.length; i++) {
                    // when
                    tables[i].write(producers[i], calls.get(c), batchSizes[i]);
                    if (popAfter.get(c)) {
                        received.add(sortedByKey(consumers[i].drainAllNotLikeOrchagent()));
                    }
                }
                // then after every call every database holds the same objects, and the consumer got the same
                Map<String, Object> single = dump(1);
                for (int i = 1; i < batchSizes.length; i++) {
                    assertEquals(single, dump(i + 1), "batch size " + batchSizes[i] + " differs after call " + c);
                    if (popAfter.get(c)) {
                        assertEquals(received.get(0), received.get(i), "popped after call " + c);
                    }
                }
            }
            assertFalse(dump(1).isEmpty());
            // and every database's channel got as many messages as the single calls sent
            long[] messages = new long[batchSizes.length];
            for (int i = 0; i < batchSizes.length; i++) {
                channels[i].mark(redis, "marker");
                for (String m = channels[i].next(5000); !"marker".equals(m); m = channels[i].next(5000)) {
                    assertEquals("G", m, "batch size " + batchSizes[i]);
                    messages[i]++;
                }
            }
            for (int i = 0; i < batchSizes.length; i++) {
                assertEquals(newlyPending, messages[i], "batch size " + batchSizes[i]);
            }
        } finally {
            for (Jedis p : producers) {
                p.close();
            }
            for (Subscriber c : channels) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    private static List<Entry> sortedByKey(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> a.key().compareTo(b.key()));
        return sorted;
    }

    @Test
    void afterSCRIPTFLUSHTheScriptsAreLoadedAgainAndTheWriteSucceeds() {
        for (int batchSize : new int[] {1, 512}) {
            ProducerStateTable t = new ProducerStateTable("NEIGH_TABLE", ":", 0);
            try (Jedis producer = productionClient(0); Jedis admin = redis.jedis(0)) {
                admin.flushAll();
                // given scripts loaded and used once
                t.write(producer, List.of(set(K1, MAC1)), batchSize);
                // when Redis forgets its scripts
                admin.scriptFlush();
                t.write(producer, List.of(set(K2, MAC2), del(K1)), batchSize);
                // then the write went through after one reload
                assertEquals(1, t.scriptReloads(), "batch size " + batchSize);
                Map<String, Object> db = dump(0);
                assertEquals(Set.of(K1, K2), db.get("NEIGH_TABLE_KEY_SET"));
                assertEquals(Set.of(K1), db.get("NEIGH_TABLE_DEL_SET"));
                assertEquals(Map.of("neigh", MAC2, "family", "IPv6"), db.get("_NEIGH_TABLE:" + K2));
            }
        }
    }

    @Test
    void aSetWritesAllItsFieldsWithOneHsetWhateverTheBatchSize() {
        for (int batchSize : new int[] {1, 512}) {
            try (Jedis producer = productionClient(0); Jedis inspect = redis.jedis(0)) {
                // given no commands counted yet
                inspect.flushAll();
                inspect.configResetStat();
                // when three neighbors, two fields each, are set
                table.write(producer, List.of(set(K1, MAC1), set(K2, MAC2), set("Ethernet4:10.0.0.4", MAC1)), batchSize);
                // then Redis ran one HSET per key (the commands a script runs count in its commandstats)
                assertEquals(3, commandCalls(inspect, "hset"), "batch size " + batchSize);
                assertEquals(Map.of("neigh", MAC1, "family", "IPv4"), inspect.hgetAll("_NEIGH_TABLE:" + K1));
            }
        }
    }

    /** How often Redis ran {@code command} since its statistics were reset. */
    private static long commandCalls(Jedis inspect, String command) {
        for (String line : inspect.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("calls=(\\d+)").matcher(line);
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
        }
        return 0;
    }

    @Test
    void aWriteLargerThanOneRoundTripIsWrittenCompletely() {
        // given more changes than one pipelined round trip carries
        List<NeighborChange> changes = new ArrayList<>();
        for (int i = 0; i < 3 * ProducerStateTable.OPS_PER_ROUND_TRIP + 17; i++) {
            changes.add(set("Ethernet" + (i % 64) + ":10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255),
                    MAC1));
        }
        for (int batchSize : new int[] {1, 512, RedisSettings.MAX_BATCH_SIZE}) {
            try (Jedis producer = productionClient(0); Jedis inspect = redis.jedis(0)) {
                inspect.flushAll();
                // when
                table.write(producer, changes, batchSize);
                // then
                assertEquals(changes.size(), inspect.scard("NEIGH_TABLE_KEY_SET"), "batch size " + batchSize);
                assertEquals(changes.size() + 1L, inspect.dbSize());
            }
        }
    }

    @Test
    void givenAWriteOfTwoRoundTripsWhenRedisAnsweredThenEachHasItsEncodeAndItsRoundTripTimed() {
        // given a table counting into counters of its own, and a write that needs two pipelines
        RedisRequestCounters requests = new RedisRequestCounters();
        ProducerStateTable t = new ProducerStateTable("NEIGH_TABLE", ":", 0, requests);
        List<NeighborChange> changes = new ArrayList<>();
        for (int i = 0; i < ProducerStateTable.OPS_PER_ROUND_TRIP + 1; i++) {
            changes.add(set("Ethernet0:10.1." + (i >> 8 & 255) + "." + (i & 255), MAC1));
        }
        try (Jedis producer = productionClient(0)) {
            // when
            t.write(producer, changes, 512);
            // then: the scripts' loads are no pipelines; the two write pipelines are timed, every one
            List<net.neighsyncd.api.profiling.StageHistogram> stages = requests.stages();
            assertEquals(net.neighsyncd.api.profiling.Stage.ENCODE, stages.get(0).stage());
            assertEquals(net.neighsyncd.api.profiling.Stage.REDIS_ROUNDTRIP, stages.get(1).stage());
            assertEquals(2, stages.get(0).count());
            assertEquals(2, stages.get(1).count());
            assertEquals(1, stages.get(1).sampleEvery());
            assertTrue(stages.get(1).sumNanos() > 0, stages::toString);
        }
    }

    @Test
    void readAllIsWhatTheConsumerLeavesInTheTableOnceItHasPoppedEverything() {
        // given a random sequence of calls, partial pops in between and now and then a field another client added
        Random random = new Random(20250117);
        String[] macs = {"aa:bb:cc:dd:ee:01", "aa:bb:cc:dd:ee:02", "02:42:ac:11:00:02"};
        try (Jedis producer = productionClient(1); Jedis inspect = redis.jedis(1); Jedis copy = redis.jedis(9)) {
            ProducerStateTable t = new ProducerStateTable("NEIGH_TABLE", ":", 1);
            ProducerStateTableConsumer consumer = new ProducerStateTableConsumer(inspect, "NEIGH_TABLE");
            ProducerStateTableConsumer copyConsumer = new ProducerStateTableConsumer(copy, "NEIGH_TABLE");
            for (int c = 0; c < 80; c++) {
                List<NeighborChange> call = new ArrayList<>();
                int n = 1 + random.nextInt(20);
                for (int i = 0; i < n; i++) {
                    int k = random.nextInt(24);
                    String key = k % 2 == 0 ? "Ethernet" + (k % 8) + ":10.0.0." + k : "Vlan1000:fc00::" + Integer.toHexString(k);
                    call.add(random.nextInt(3) == 0 ? del(key) : set(key, macs[random.nextInt(macs.length)]));
                }
                t.write(producer, call, random.nextBoolean() ? 1 : 512);
                if (random.nextInt(3) == 0) {
                    consumer.pop(1 + random.nextInt(10));
                }
                if (random.nextInt(6) == 0) {
                    for (String applied : consumer.appliedEntries().keySet()) {
                        inspect.hset(consumer.appliedKey(applied), "foreign", "field" + c);
                        break;
                    }
                }
                // when the table is read back
                ProducerStateTable.Contents read = t.readAll(producer);
                // then it equals what a copy of the database holds once the consumer popped everything
                copy.flushDB();
                for (String redisKey : consumer.redisKeys()) {
                    inspect.copy(redisKey, redisKey, 9, true);
                }
                copyConsumer.drainAllNotLikeOrchagent();
                assertEquals(copyConsumer.appliedEntries(), sorted(read.entries()), "after call " + c);
                assertEquals(List.of(), read.notHashes());
            }
            // and popping for real changes nothing in what is read
            Map<String, Map<String, String>> before = sorted(t.readAll(producer).entries());
            consumer.drainAllNotLikeOrchagent();
            assertEquals(before, sorted(t.readAll(producer).entries()));
            assertEquals(before, consumer.appliedEntries());
            assertFalse(before.isEmpty());
        }
    }

    private static Map<String, Map<String, String>> sorted(Map<String, Map<String, String>> entries) {
        Map<String, Map<String, String>> out = new java.util.TreeMap<>();
        entries.forEach((k, v) -> out.put(k, new java.util.TreeMap<>(v)));
        return out;
    }

    @Test
    void readAllReadsOnlyTheTablesKeysAndReportsThoseThatAreNotHashes() {
        try (Jedis producer = productionClient(0); Jedis inspect = redis.jedis(0)) {
            // given one entry of ours, names that only look alike, and keys of the table that are not hashes
            table.write(producer, List.of(set(K1, MAC1)), 512);
            Map<String, String> fields = Map.of("neigh", MAC2, "family", "IPv4");
            inspect.hset("NEIGH_TABLEX:Ethernet0:10.0.0.2", fields);
            inspect.hset("XNEIGH_TABLE:Ethernet0:10.0.0.3", fields);
            inspect.hset("ROUTE_TABLE:10.0.0.0/24", fields);
            inspect.hset("_NEIGH_TABLE:Ethernet0:10.0.0.4", fields); // pending fields of a key that is not pending
            inspect.set("NEIGH_TABLE:Ethernet0:10.0.0.5", "a string");
            inspect.sadd("NEIGH_TABLE_KEY_SET", "Ethernet0:10.0.0.6");
            inspect.set("_NEIGH_TABLE:Ethernet0:10.0.0.6", "a string");
            // when
            ProducerStateTable.Contents read = table.readAll(producer);
            // then
            assertEquals(Map.of(K1, Map.of("neigh", MAC1, "family", "IPv4")), read.entries());
            assertEquals(Set.of("Ethernet0:10.0.0.5", "Ethernet0:10.0.0.6"), Set.copyOf(read.notHashes()));
        }
    }

    @Test
    void theProbeCountsTheKeysThatAreNeitherAppliedNorPending() {
        try (Jedis producer = productionClient(0); Jedis inspect = redis.jedis(0)) {
            ProducerStateTableConsumer consumer = new ProducerStateTableConsumer(inspect, "NEIGH_TABLE");
            // given K1 applied, K2 pending and a third key nowhere
            table.write(producer, List.of(set(K1, MAC1)), 1);
            consumer.drainAllNotLikeOrchagent();
            table.write(producer, List.of(set(K2, MAC2)), 1);
            // when
            redis.clients.jedis.Pipeline p = producer.pipelined();
            redis.clients.jedis.Response<Object> one = table.probe(p, List.of(K1, K2));
            redis.clients.jedis.Response<Object> two = table.probe(p, List.of(K1, K2, "Ethernet4:10.0.0.4"));
            p.sync();
            // then
            assertEquals(0L, one.get());
            assertEquals(1L, two.get());
        }
    }

    @Test
    void afterSCRIPTFLUSHReadAllLoadsTheScriptsAgain() {
        try (Jedis producer = productionClient(0); Jedis admin = redis.jedis(0)) {
            // given
            table.write(producer, List.of(set(K1, MAC1)), 512);
            // when
            admin.scriptFlush();
            ProducerStateTable.Contents read = table.readAll(producer);
            // then
            assertEquals(Set.of(K1), read.entries().keySet());
            assertEquals(1, table.scriptReloads());
        }
    }
}
