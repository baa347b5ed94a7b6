package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.neighsyncd.api.ha.HaKeys;
import net.neighsyncd.api.ha.WriteFence;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.StreamEntry;

/** A leader's fenced writes and the replica that follows them, against a real redis-server. */
@Timeout(60)
class FencedWritesTest {
    private static final NeighborRecord R1 = record("Ethernet0:10.0.0.1", "aa:bb:cc:dd:ee:01");
    private static final NeighborRecord R2 = record("Vlan1000:fc00::2", "aa:bb:cc:dd:ee:02");
    private static final NeighborRecord R3 = record("Ethernet4:10.0.0.3", "aa:bb:cc:dd:ee:03");

    private RedisServer redis;
    private Jedis jedis;
    private final ProducerStateTable table = new ProducerStateTable("NEIGH_TABLE", ":", 0);
    private final FencedWrites writes = new FencedWrites(table, "");

    @BeforeEach
    void startRedis() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        redis = RedisServer.start();
        jedis = redis.jedis(0);
    }

    @AfterEach
    void stopRedis() {
        if (redis != null) {
            jedis.close();
            redis.close();
        }
    }

    private static NeighborRecord record(String key, String mac) {
        return new NeighborRecord(NeighborKey.parse(key), MacAddress.parse(mac));
    }

    /** Every key and its value as Redis dumps it: what a write that changes nothing leaves equal. */
    private Map<String, String> everything() {
        Map<String, String> out = new TreeMap<>();
        for (String k : jedis.keys("*")) {
            out.put(k, java.util.HexFormat.of().formatHex(jedis.dump(k)));
        }
        return out;
    }

    /** Takes the lease {@code times} times, as that many tenures would: the fence holds the last token. */
    private void tenures(int times) {
        for (int i = 0; i < times; i++) {
            jedis.incr(HaKeys.fence(""));
        }
    }

    @Test
    void aDeposedLeadersWriteChangesNothingAtAll() {
        // given: tenure 1 wrote R1; tenure 2 has begun
        tenures(1);
        writes.write(jedis, List.of(NeighborChange.set(R1)), 512, new WriteFence(1, 1000));
        tenures(1);
        Map<String, String> before = everything();
        // when: tenure 1, resumed, writes with its token, in one call and in calls of one
        for (int batchSize : new int[] {512, 1}) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> writes.write(jedis,
                    List.of(NeighborChange.set(R2), NeighborChange.delete(R1.key()),
                            NeighborChange.setReplacingHostRoute(R3, "Vrf1")), batchSize, new WriteFence(1, 1000)));
            // then
            assertTrue(FencedWrites.isFenced(e), e.getMessage());
        }
        assertEquals(before, everything(), "a deposed leader's write must change no key");
        assertThrows(JedisDataException.class, () -> writes.gap(jedis, new WriteFence(1, 1000)));
        assertEquals(before, everything());
    }

    @Test
    void aLeadersWriteAppendsEveryChangeToTheStreamWithConsecutiveSequenceNumbers() {
        // given
        tenures(3);
        // when
        writes.write(jedis, List.of(NeighborChange.set(R1), NeighborChange.setReplacingHostRoute(R2, "Vrf1")), 1,
                new WriteFence(3, 1000));
        writes.write(jedis, List.of(NeighborChange.delete(R1.key())), 512, new WriteFence(3, 1000));
        // then: the producer's objects, as the unfenced scripts make them
        assertEquals(java.util.Set.of(R1.key().toString(), R2.key().toString()), jedis.smembers("NEIGH_TABLE_KEY_SET"));
        assertEquals(java.util.Set.of(R1.key().toString()), jedis.smembers("NEIGH_TABLE_DEL_SET"));
        assertEquals(R2.fields(), jedis.hgetAll("_NEIGH_TABLE:" + R2.key()));
        assertEquals(java.util.Set.of("Vrf1:fc00::2"), jedis.smembers("ROUTE_TABLE_DEL_SET"));
        // and the stream: one entry per NEIGH_TABLE change, in order
        List<StreamEntry> entries = jedis.xrange(HaKeys.stream(""), (StreamEntryID) null, (StreamEntryID) null);
        assertEquals(3, entries.size());
        assertEquals(Map.of("seq", "1", "token", "3", "op", "SET", "key", R1.key().toString(), "neigh",
                "aa:bb:cc:dd:ee:01", "family", "IPv4"), entries.get(0).getFields());
        assertEquals("2", entries.get(1).getFields().get("seq"));
        assertEquals(Map.of("seq", "3", "token", "3", "op", "DEL", "key", R1.key().toString()),
                entries.get(2).getFields());
        assertEquals("3", jedis.get(HaKeys.sequence("")));
    }

    @Test
    void aLeaderWritesOnAfterRedisForgotItsScripts() {
        // given: a fenced write has loaded the script; then Redis flushes its scripts (as a restart would)
        tenures(1);
        WriteFence fence = new WriteFence(1, 1000);
        writes.write(jedis, List.of(NeighborChange.set(R1)), 512, fence);
        jedis.scriptFlush();
        // when
        writes.write(jedis, List.of(NeighborChange.set(R2)), 512, fence);
        // then: loaded again and written once
        assertEquals(R2.fields(), jedis.hgetAll("_NEIGH_TABLE:" + R2.key()));
        assertEquals(2L, jedis.xlen(HaKeys.stream("")));
        assertEquals(1, table.scriptReloads());
    }

    @Test
    void aReplicaKnowsWhatTheLeadersWroteAndReadsTheTableAgainAfterAGap() throws Exception {
        // given: an entry written before the replica starts, and a replica
        tenures(1);
        WriteFence fence = new WriteFence(1, 1000);
        writes.write(jedis, List.of(NeighborChange.set(R1)), 512, fence);
        AppliedReplica replica = new AppliedReplica(new AppliedReplica.Connector() {
            @Override
            public Jedis open() {
                return redis.jedis(0);
            }

            @Override
            public ProducerStateTable table() {
                return new ProducerStateTable("NEIGH_TABLE", ":", 0);
            }
        }, "", "standby-1", () -> "test");
        replica.start("test");
        try {
            Optional<AppliedReplica.Snapshot> first = replica.caughtUp(10_000);
            assertEquals(Map.of(R1.key(), R1), first.orElseThrow().entries());
            // when: the leader writes on
            writes.write(jedis, List.of(NeighborChange.set(R2), NeighborChange.delete(R1.key())), 512, fence);
            // then: the replica has it without reading the table again
            AppliedReplica.Snapshot second = replica.caughtUp(10_000).orElseThrow();
            assertEquals(Map.of(R2.key(), R2), second.entries());
            assertEquals(1, replica.baselines());
            // when: a change the stream cannot describe, and no entry after it
            jedis.hset("_NEIGH_TABLE:" + R3.key(), R3.fields());
            jedis.sadd("NEIGH_TABLE_KEY_SET", R3.key().toString());
            writes.gap(jedis, fence);
            // then: the replica reads the table again and knows it
            AppliedReplica.Snapshot third = replica.caughtUp(10_000).orElseThrow();
            assertEquals(Map.of(R2.key(), R2, R3.key(), R3), third.entries());
            assertEquals(2, replica.baselines());
        } finally {
            replica.stop();
        }
        assertEquals(0, jedis.xinfoGroups(HaKeys.stream("")).size(), "a stopped replica removes its group");
    }
}
