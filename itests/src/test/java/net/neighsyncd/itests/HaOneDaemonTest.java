package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.ha.Role;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import redis.clients.jedis.Jedis;

/**
 * One daemon with high availability configured, leading, driven from inside its framework
 * (docs/ha.md): a deposed leader's write refused by Redis, and the ha bundle taken away.
 */
class HaOneDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** What a test does with a daemon that leads its pipeline. */
    private interface WithLeader {
        void run(RedisServer redis, Netns ns, Daemon d, KernelAndApplDb tables) throws Exception;
    }

    @BeforeEach
    void needsRedisAndNamespaces() {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
    }

    private static Map<String, List<String>> ha(boolean required, long ttlMillis, long renewMillis) {
        return Map.of("net.neighsyncd.core", List.of("highAvailability = " + required),
                "net.neighsyncd.ha", List.of("namespace = ${neighsyncd.netns}", "ttlMillis = " + ttlMillis,
                        "renewMillis = " + renewMillis));
    }

    private static void awaitLeader(Daemon d) throws Exception {
        Wait.until("the daemon to lead", WAIT, () -> d.status().leadership()
                .map(l -> l.role() == Role.LEADER).orElse(false) && d.status().initialSyncDone());
    }

    private static void withLeader(String prefix, Map<String, List<String>> settings, WithLeader test)
            throws Exception {
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create(prefix);
                Daemon d = Daemon.start(settings, "--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
            ns.addVethPair("Ethernet0", "peer0");
            awaitLeader(d);
            KernelAndApplDb tables = new KernelAndApplDb(ns, "Ethernet0", redis);
            try {
                test.run(redis, ns, d, tables);
            } finally {
                tables.close();
            }
        }
    }

    private static void add(Netns ns, String ip, String mac) {
        ns.exec("neigh", "replace", ip, "lladdr", mac, "dev", "Ethernet0", "nud", "permanent");
    }

    /** Neither the producer's objects nor the table hold {@code key}. */
    private static void assertNoTrace(RedisServer redis, String key) {
        try (Jedis j = redis.jedis(0)) {
            assertEquals(false, j.exists("_NEIGH_TABLE:" + key));
            assertEquals(false, j.sismember("NEIGH_TABLE_KEY_SET", key));
            assertEquals(false, j.exists("NEIGH_TABLE:" + key));
        }
    }

    @Test
    void aDeposedLeadersWriteIsRefusedByRedisAndItStepsDownAtOnce() throws Exception {
        // renewals 200 s apart: within this test only a refused write can tell the leader it was deposed
        withLeader("nsd-fenced", ha(true, 600_000, 200_000), (redis, ns, d, tables) -> {
            long token = d.status().leadership().orElseThrow().token().orElseThrow();
            // given: another instance took the lease meanwhile, as after this leader's lease ended
            try (Jedis j = redis.jedis(0)) {
                j.set("NEIGHSYNCD_LEASE|" + ns.name(), "another:1:instance");
                j.set("NEIGHSYNCD_FENCE|" + ns.name(), Long.toString(token + 1));
            }
            // when: the kernel changes and the old leader writes
            add(ns, "10.25.0.1", "02:25:00:00:00:01");
            // then: it stands by, told so by the refusal
            Wait.until("the old leader to stand by", WAIT, () -> d.status().standingBy());
            assertEquals(1, d.status().leadership().orElseThrow().stepDowns());
            assertTrue(d.status().appDb().errors() >= 1, "the refused write is counted as a failed batch");
            // and nothing of its write is in Redis
            assertNoTrace(redis, "Ethernet0:10.25.0.1");
            try (Jedis j = redis.jedis(0)) {
                assertEquals(0L, j.xlen("NEIGHSYNCD_APPLIED|" + ns.name()), "a refused write appends no entry");
            }
        });
    }

    @Test
    void withoutTheHaBundleADaemonNotRequiredToLeadWritesAsASingleInstance() throws Exception {
        withLeader("nsd-ha-gone", ha(false, 2000, 500), (redis, ns, d, tables) -> {
            // when: the ha bundle stops, and Redis holds a token this instance never had
            Bundle bundle = d.bundle("net.neighsyncd.ha");
            bundle.stop();
            try (Jedis j = redis.jedis(0)) {
                assertEquals(null, j.get("NEIGHSYNCD_LEASE|" + ns.name()), "a clean stop releases the lease");
                j.set("NEIGHSYNCD_FENCE|" + ns.name(), "999999999999999");
            }
            add(ns, "10.23.0.1", "02:23:00:00:00:01");
            // then: written without a fence, as before there was high availability
            tables.awaitEqual(WAIT);
            assertEquals("02:23:00:00:00:01", tables.applDb().get("Ethernet0:10.23.0.1"));
            assertTrue(d.status().leadership().isEmpty(), "a single instance reports no leadership");
        });
    }

    @Test
    void withoutTheHaBundleADaemonRequiredToLeadHoldsItsWritesUntilItLeadsAgain() throws Exception {
        withLeader("nsd-ha-hold", ha(true, 2000, 500), (redis, ns, d, tables) -> {
            // given: the ha bundle stopped
            Bundle bundle = d.bundle("net.neighsyncd.ha");
            bundle.stop();
            // when: the kernel changes
            add(ns, "10.24.0.1", "02:24:00:00:00:01");
            Wait.until("the engine to see the change", WAIT, () -> d.status().kernelEntries() == 1);
            // then: nothing is written while nobody leads: the engine, having taken the change, has
            // nothing queued for APPL_DB, and Redis has no trace of the key
            assertEquals(0, d.status().pendingWrites());
            assertNoTrace(redis, "Ethernet0:10.24.0.1");
            // ... and the held change is written once the bundle is back and the daemon leads
            bundle.start();
            awaitLeader(d);
            tables.awaitEqual(WAIT);
            assertEquals("02:24:00:00:00:01", tables.applDb().get("Ethernet0:10.24.0.1"));
        });
    }
}
