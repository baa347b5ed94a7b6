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
 * The ha bundle taken away from a running daemon (docs/ha.md): with {@code highAvailability} off
 * it writes on as a single instance, without a fence; with it on it holds its writes until the
 * bundle is back and it leads again.
 */
class HaBundleAbsentTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeEach
    void needsRedisAndNamespaces() {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
    }

    private static Map<String, List<String>> ha(boolean required) {
        return Map.of("net.neighsyncd.core", List.of("highAvailability = " + required),
                "net.neighsyncd.ha", List.of("namespace = ${neighsyncd.netns}", "ttlMillis = 2000", "renewMillis = 500"));
    }

    private static void awaitLeader(Daemon d) throws Exception {
        Wait.until("the daemon to lead", WAIT, () -> d.status().leadership()
                .map(l -> l.role() == Role.LEADER).orElse(false) && d.status().initialSyncDone());
    }

    @Test
    void withoutTheHaBundleADaemonNotRequiredToLeadWritesAsASingleInstance() throws Exception {
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-ha-gone");
                Daemon d = Daemon.start(ha(false), "--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
            ns.addVethPair("Ethernet0", "peer0");
            awaitLeader(d);
            KernelAndApplDb tables = new KernelAndApplDb(ns, "Ethernet0", redis);
            try {
                // when: the ha bundle stops, and Redis holds a token this instance never had
                Bundle bundle = d.bundle("net.neighsyncd.ha");
                bundle.stop();
                try (Jedis j = redis.jedis(0)) {
                    assertEquals(null, j.get("NEIGHSYNCD_LEASE|" + ns.name()), "a clean stop releases the lease");
                    j.set("NEIGHSYNCD_FENCE|" + ns.name(), "999999999999999");
                }
                ns.exec("neigh", "replace", "10.23.0.1", "lladdr", "02:23:00:00:00:01", "dev", "Ethernet0", "nud",
                        "permanent");
                // then: written without a fence, as before there was high availability
                tables.awaitEqual(WAIT);
                assertEquals("02:23:00:00:00:01", tables.applDb().get("Ethernet0:10.23.0.1"));
                assertTrue(d.status().leadership().isEmpty(), "a single instance reports no leadership");
            } finally {
                tables.close();
            }
        }
    }

    @Test
    void withoutTheHaBundleADaemonRequiredToLeadHoldsItsWritesUntilItLeadsAgain() throws Exception {
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-ha-hold");
                Daemon d = Daemon.start(ha(true), "--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
            ns.addVethPair("Ethernet0", "peer0");
            awaitLeader(d);
            KernelAndApplDb tables = new KernelAndApplDb(ns, "Ethernet0", redis);
            try {
                // given: the ha bundle stopped
                Bundle bundle = d.bundle("net.neighsyncd.ha");
                bundle.stop();
                // when: the kernel changes
                ns.exec("neigh", "replace", "10.24.0.1", "lladdr", "02:24:00:00:00:01", "dev", "Ethernet0", "nud",
                        "permanent");
                Wait.until("the engine to see the change", WAIT, () -> d.status().kernelEntries() == 1);
                // then: nothing is written while nobody leads: the engine, having taken the change, has
                // nothing queued for APPL_DB, and Redis has no trace of the key
                assertEquals(0, d.status().pendingWrites());
                try (Jedis j = redis.jedis(0)) {
                    assertEquals(false, j.exists("_NEIGH_TABLE:Ethernet0:10.24.0.1"));
                    assertEquals(false, j.sismember("NEIGH_TABLE_KEY_SET", "Ethernet0:10.24.0.1"));
                    assertEquals(false, j.exists("NEIGH_TABLE:Ethernet0:10.24.0.1"));
                }
                // ... and the held change is written once the bundle is back and the daemon leads
                bundle.start();
                awaitLeader(d);
                tables.awaitEqual(WAIT);
                assertEquals("02:24:00:00:00:01", tables.applDb().get("Ethernet0:10.24.0.1"));
            } finally {
                tables.close();
            }
        }
    }
}
