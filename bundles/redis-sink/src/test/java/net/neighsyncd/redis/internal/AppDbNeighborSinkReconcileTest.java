package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.engine.ReconcilableSink;
import net.neighsyncd.api.engine.SinkException;
import net.neighsyncd.testsupport.ProducerStateTableConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** The APPL_DB sink as a {@link ReconcilableSink}: reading NEIGH_TABLE back and knowing when to. */
@Timeout(120)
class AppDbNeighborSinkReconcileTest extends RealRedisTest {
    private static final String K1 = "Ethernet0:10.0.0.1";
    private static final String K2 = "Ethernet4:10.0.0.2";
    private static final String K3 = "Vlan1000:fc00::3";
    private static final String K4 = "Vlan1000:fe80::4";
    private static final String K5 = "Ethernet8:10.0.0.5";
    private static final String MAC1 = "aa:bb:cc:dd:ee:01";
    private static final String MAC2 = "aa:bb:cc:dd:ee:02";

    private final AppDbNeighborSink sink = new AppDbNeighborSink();

    @AfterEach
    void deactivate() {
        sink.deactivate();
    }

    private void activate(int batchSize) {
        Map<String, Object> config = new HashMap<>();
        config.put("redisUrl", redis.unixUrl(0));
        config.put("batchSize", batchSize);
        config.put("connectTimeoutMillis", 500);
        sink.configure(config);
    }

    private static ProducerStateTableConsumer consumer(Jedis j) {
        return new ProducerStateTableConsumer(j, "NEIGH_TABLE");
    }

    private static Map<NeighborKey, NeighborRecord> records(String... keyMac) {
        Map<NeighborKey, NeighborRecord> m = new HashMap<>();
        for (int i = 0; i < keyMac.length; i += 2) {
            NeighborKey k = NeighborKey.parse(keyMac[i]);
            m.put(k, new NeighborRecord(k, MacAddress.parse(keyMac[i + 1])));
        }
        return m;
    }

    /** What orchagent holds once the consumer popped everything: every NEIGH_TABLE:K, as records. */
    private static Map<NeighborKey, NeighborRecord> appliedRecords(ProducerStateTableConsumer consumer) {
        Map<NeighborKey, NeighborRecord> m = new HashMap<>();
        consumer.appliedEntries().forEach((key, fields) -> {
            NeighborRecord r = AppDbNeighborSink.record(key, fields);
            assertTrue(r != null, "not a record: " + key + " " + fields);
            m.put(r.key(), r);
        });
        return m;
    }

    @Test
    void theSinkIsAReconcilableSinkRegisteredAsANeighborSink() {
        NeighborSink asRegistered = sink;
        assertTrue(asRegistered instanceof ReconcilableSink);
    }

    @Test
    void readStateIsWhatTheConsumerLeavesInNeighTableBeforeAndAfterItPops() throws Exception {
        for (int batchSize : new int[] {1, 512}) {
            AppDbNeighborSink s = new AppDbNeighborSink();
            Map<String, Object> config = new HashMap<>();
            config.put("redisUrl", redis.unixUrl(0));
            config.put("batchSize", batchSize);
            s.configure(config);
            try (Jedis j = redis.jedis(0)) {
                j.flushAll();
                ProducerStateTableConsumer consumer = consumer(j);
                // given K1, K2 and K3 applied
                s.apply(List.of(set(K1, MAC1), set(K2, MAC1), set(K3, MAC1)));
                consumer.drainAllNotLikeOrchagent();
                assertEquals(records(K1, MAC1, K2, MAC1, K3, MAC1), s.readState(), "batch size " + batchSize);
                // and pending: K1 deleted then set again, K2 set over its entry, K3 deleted, K4 new, K5 new then deleted
                s.apply(List.of(del(K1), set(K5, MAC1)));
                s.apply(List.of(set(K1, MAC2), set(K2, MAC2), del(K3), set(K4, MAC1), del(K5)));
                Map<NeighborKey, NeighborRecord> expected = records(K1, MAC2, K2, MAC2, K4, MAC1);
                // when read before the consumer pops
                Map<NeighborKey, NeighborRecord> before = s.readState();
                // then it is what the consumer will leave
                assertEquals(expected, before, "batch size " + batchSize);
                // when the consumer pops a part, then everything
                consumer.pop(2);
                assertEquals(expected, s.readState(), "batch size " + batchSize + ", partly popped");
                consumer.drainAllNotLikeOrchagent();
                // then NEIGH_TABLE:* holds just that, and reading again says the same
                assertEquals(expected, appliedRecords(consumer), "batch size " + batchSize);
                assertEquals(expected, s.readState(), "batch size " + batchSize);
            } finally {
                s.deactivate();
            }
        }
    }

    @Test
    void readStateSkipsEntriesThatAreNotNeighborsAsNeighsyncdWritesThem() throws Exception {
        // given one entry of ours
        activate(512);
        sink.apply(List.of(set(K1, MAC1)));
        try (Jedis j = redis.jedis(0)) {
            // and entries of others that are not what neighsyncd writes
            j.hset("NEIGH_TABLE:garbage", Map.of("neigh", MAC1, "family", "IPv4"));
            j.hset("NEIGH_TABLE:Ethernet0:10.0.0.300", Map.of("neigh", MAC1, "family", "IPv4"));
            j.hset("NEIGH_TABLE:Ethernet0:10.0.0.5", Map.of("family", "IPv4"));
            j.hset("NEIGH_TABLE:Ethernet0:10.0.0.6", Map.of("neigh", "zz", "family", "IPv4"));
            j.hset("NEIGH_TABLE:Ethernet0:10.0.0.7", Map.of("neigh", MAC1, "family", "IPv6"));
            j.hset("NEIGH_TABLE:Ethernet0:10.0.0.8", Map.of("neigh", MAC1));
            j.hset("NEIGH_TABLE:Ethernet0:fc00:0::8", Map.of("neigh", MAC1, "family", "IPv6"));
            j.set("NEIGH_TABLE:Ethernet0:10.0.0.9", "a string");
            j.sadd("NEIGH_TABLE_KEY_SET", "junk");
            j.hset("_NEIGH_TABLE:junk", Map.of("neigh", MAC1, "family", "IPv4"));
            // and names outside the table
            j.hset("NEIGH_TABLEX:Ethernet0:10.0.0.10", Map.of("neigh", MAC1, "family", "IPv4"));
            j.hset("ROUTE_TABLE:Ethernet0:10.0.0.10", Map.of("neigh", MAC1, "family", "IPv4"));
            j.hset("_NEIGH_TABLE:Ethernet0:10.0.0.11", Map.of("neigh", MAC1, "family", "IPv4"));
            // and an entry with an upper-case MAC: SONiC compares field values as text, so it is
            // not the entry neighsyncd writes for that neighbor
            j.hset("NEIGH_TABLE:Ethernet0:10.0.0.12", Map.of("neigh", "AA:BB:CC:DD:EE:0C", "family", "IPv4"));
        }
        // when
        Map<NeighborKey, NeighborRecord> state = sink.readState();
        // then
        assertEquals(records(K1, MAC1), state);
    }

    @Test
    void stateInDoubtIsTrueOnFirstUseAndStaysSoUntilReadState() throws Exception {
        // given a new sink
        activate(512);
        // when / then
        assertTrue(sink.stateInDoubt());
        sink.apply(List.of(set(K1, MAC1)));
        assertTrue(sink.stateInDoubt());
        assertTrue(sink.stateInDoubt());
        // when the state is read, then the doubt is gone
        assertEquals(records(K1, MAC1), sink.readState());
        assertFalse(sink.stateInDoubt());
    }

    @Test
    void stateInDoubtIsFalseAfterReadStateWhenNothingChanged() throws Exception {
        // given
        activate(512);
        sink.apply(List.of(set(K1, MAC1), set(K2, MAC1)));
        sink.readState();
        // when / then, also after writes of our own
        assertFalse(sink.stateInDoubt());
        assertFalse(sink.stateInDoubt());
        sink.apply(List.of(set(K3, MAC2), del(K2)));
        assertFalse(sink.stateInDoubt());
    }

    @Test
    void stateInDoubtIsTrueAfterFLUSHALL() throws Exception {
        // given entries set and read back
        activate(512);
        sink.apply(List.of(set(K1, MAC1), set(K2, MAC1)));
        try (Jedis j = redis.jedis(0)) {
            consumer(j).drainAllNotLikeOrchagent();
            sink.readState();
            assertFalse(sink.stateInDoubt());
            // when
            j.flushAll();
        }
        // then
        assertTrue(sink.stateInDoubt());
        assertEquals(Map.of(), sink.readState());
        assertFalse(sink.stateInDoubt());
    }

    @Test
    void stateInDoubtIsTrueAfterRedisRestarted() throws Exception {
        // given entries set and read back
        activate(512);
        sink.apply(List.of(set(K1, MAC1)));
        sink.readState();
        assertFalse(sink.stateInDoubt());
        // when Redis restarts (a new run_id; the old connection is dead)
        redis.restart();
        // then one call answers, over a new connection
        assertTrue(sink.stateInDoubt());
        assertEquals(Map.of(), sink.readState());
        assertFalse(sink.stateInDoubt());
    }

    @Test
    void stateInDoubtIsTrueWhenAnotherClientDeletedOneOfOurEntries() throws Exception {
        // given entries set, popped and read back
        activate(512);
        sink.apply(List.of(set(K1, MAC1), set(K2, MAC1)));
        try (Jedis j = redis.jedis(0)) {
            consumer(j).drainAllNotLikeOrchagent();
            sink.readState();
            assertFalse(sink.stateInDoubt());
            // when
            j.del("NEIGH_TABLE:" + K1);
        }
        // then
        assertTrue(sink.stateInDoubt());
        assertEquals(records(K2, MAC1), sink.readState());
        // and K1, no longer there, is no longer probed
        assertFalse(sink.stateInDoubt());
    }

    @Test
    void stateInDoubtIsTrueWhenAnotherClientRemovedOneOfOurPendingKeys() throws Exception {
        // given a pending set, read back
        activate(1);
        sink.apply(List.of(set(K1, MAC1)));
        sink.readState();
        assertFalse(sink.stateInDoubt());
        // when someone takes it out of the key set without applying it
        try (Jedis j = redis.jedis(0)) {
            j.srem("NEIGH_TABLE_KEY_SET", K1);
        }
        // then
        assertTrue(sink.stateInDoubt());
    }

    @Test
    void stateInDoubtIsFalseWhenTheConsumerPopsOurKeys() throws Exception {
        // given pending sets, read back
        activate(512);
        sink.apply(List.of(set(K1, MAC1), set(K2, MAC1), set(K3, MAC1)));
        sink.readState();
        try (Jedis j = redis.jedis(0)) {
            ProducerStateTableConsumer consumer = consumer(j);
            // when the consumer moves some, then all of them from pending to applied
            consumer.pop(1);
            assertFalse(sink.stateInDoubt());
            consumer.drainAllNotLikeOrchagent();
        }
        // then
        assertFalse(sink.stateInDoubt());
    }

    @Test
    void stateInDoubtIsFalseAfterWeDeletedOurOwnEntry() throws Exception {
        // given an applied entry, read back
        activate(512);
        sink.apply(List.of(set(K1, MAC1), set(K2, MAC1)));
        try (Jedis j = redis.jedis(0)) {
            ProducerStateTableConsumer consumer = consumer(j);
            consumer.drainAllNotLikeOrchagent();
            sink.readState();
            // when we delete it and the consumer applies the delete
            sink.apply(List.of(del(K1)));
            consumer.drainAllNotLikeOrchagent();
            assertEquals(Map.of(), consumer.applied(K1));
        }
        // then
        assertFalse(sink.stateInDoubt());
    }

    @Test
    void onlyTheKeysSetLastAreProbed() throws Exception {
        // given more keys set than are probed, applied and read back
        activate(512);
        List<NeighborChange> sets = new ArrayList<>();
        for (int i = 0; i < AppDbNeighborSink.PROBED_KEYS + 4; i++) {
            sets.add(set("Ethernet0:10.0.1." + i, MAC1));
        }
        sink.apply(sets);
        try (Jedis j = redis.jedis(0)) {
            consumer(j).drainAllNotLikeOrchagent();
            sink.readState();
            // when the oldest is deleted by someone else, then the cheap probe does not see it
            j.del("NEIGH_TABLE:Ethernet0:10.0.1.0");
            assertFalse(sink.stateInDoubt());
            // when the newest is, then it does
            j.del("NEIGH_TABLE:Ethernet0:10.0.1." + (AppDbNeighborSink.PROBED_KEYS + 3));
            assertTrue(sink.stateInDoubt());
        }
    }

    @Test
    void whileRedisIsUnreachableStateInDoubtAndReadStateThrow() throws Exception {
        // given a sink whose Redis is gone
        activate(512);
        sink.apply(List.of(set(K1, MAC1)));
        sink.readState();
        redis.kill();
        // when / then
        assertThrows(SinkException.class, sink::stateInDoubt);
        assertThrows(SinkException.class, sink::readState);
        // when it is back, then the new connection is in doubt
        redis.restart();
        assertTrue(sink.stateInDoubt());
        assertEquals(Map.of(), sink.readState());
        assertFalse(sink.stateInDoubt());
    }

    @Test
    void afterSCRIPTFLUSHStateInDoubtAndReadStateLoadTheScriptsAgain() throws Exception {
        // given
        activate(512);
        sink.apply(List.of(set(K1, MAC1)));
        sink.readState();
        try (Jedis j = redis.jedis(0)) {
            // when Redis forgets its scripts, then the probe still works
            j.scriptFlush();
            assertFalse(sink.stateInDoubt());
            assertEquals(1, sink.scriptReloads());
            // and so does reading
            j.scriptFlush();
            assertEquals(records(K1, MAC1), sink.readState());
            assertEquals(2, sink.scriptReloads());
        }
    }

    @Test
    void readStateOfOneHundredThousandEntriesIsCompleteAndCorrect() throws Exception {
        // given 100k entries written by the sink's batched apply
        activate(RedisSettings.DEFAULT_BATCH_SIZE);
        int n = 100_000;
        List<NeighborChange> changes = new ArrayList<>(n);
        Map<NeighborKey, NeighborRecord> expected = new HashMap<>(2 * n);
        for (int i = 0; i < n; i++) {
            String key = i % 2 == 0
                    ? "Ethernet" + (i % 64) + ":10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)
                    : "Vlan1000:fc00::" + Integer.toHexString((i >> 16) + 1) + ":" + Integer.toHexString(i & 0xffff);
            NeighborRecord r = new NeighborRecord(NeighborKey.parse(key), MacAddress.ofBits(0x020000000000L + i));
            changes.add(NeighborChange.set(r));
            expected.put(r.key(), r);
        }
        sink.apply(changes);
        // when all of them are pending
        long start = System.nanoTime();
        Map<NeighborKey, NeighborRecord> pending = sink.readState();
        long pendingMillis = (System.nanoTime() - start) / 1_000_000;
        // then
        assertEquals(expected, pending);
        // when all of them are applied
        try (Jedis j = redis.jedis(0)) {
            ProducerStateTableConsumer consumer = consumer(j);
            while (!consumer.pop(5000).isEmpty()) {
                // popping
            }
        }
        start = System.nanoTime();
        Map<NeighborKey, NeighborRecord> applied = sink.readState();
        long appliedMillis = (System.nanoTime() - start) / 1_000_000;
        // then
        assertEquals(expected, applied);
        assertFalse(sink.stateInDoubt());
        System.out.printf("readState of %d entries: %d ms all pending, %d ms all applied%n", n, pendingMillis,
                appliedMillis);
    }
}
