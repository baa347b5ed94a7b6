package net.neighsyncd.itests;

import net.neighsyncd.api.engine.DropReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

/**
 * The SONiC scenarios end to end: real kernel neighbors in a private namespace, the
 * distribution's runtime watching it, a real redis-server, and a consumer woken per channel
 * message as orchagent is ({@link ApplDbInbox}), popping what orchagent would receive.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelToApplDbScenariosTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private RedisServer redis;
    private Netns ns;
    private Daemon daemon;
    private Jedis appl;
    private Jedis configDb;
    private ApplDbInbox inbox;

    @BeforeAll
    void startDaemonOnANamespaceWithNeighbors() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis = RedisServer.start();
        ns = Netns.create("nsd-scn");
        ns.addVethPair("Ethernet0", "peer0");
        // present before the daemon starts: must arrive through the dump
        neigh("10.1.0.1", "02:00:00:01:00:01", "permanent");
        neigh("fc00:1::1", "02:00:00:01:00:02", "reachable");
        ns.addVethPair("Ethernet4", "peer4");
        ns.exec("neigh", "replace", "fe80::99", "lladdr", "02:00:00:01:00:03", "dev", "Ethernet4", "nud", "permanent");
        appl = redis.jedis(0);
        configDb = redis.jedis(4);
        inbox = ApplDbInbox.start(redis, ns, "Ethernet0", WAIT);
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(WAIT);
    }

    @AfterAll
    void stopEverything() throws Exception {
        Fixtures.closeAll(inbox, daemon, ns, redis);
    }

    @Test
    void dumpDeliversNeighborsPresentBeforeStart() throws Exception {
        assertEquals(set("Ethernet0:10.1.0.1", "02:00:00:01:00:01", "IPv4"), next("Ethernet0:10.1.0.1"));
        assertEquals(set("Ethernet0:fc00:1::1", "02:00:00:01:00:02", "IPv6"), next("Ethernet0:fc00:1::1"));
        assertNoWrite("Ethernet4:fe80::99");
    }

    @Test
    void writesTheProducerStateTableObjectsOfTheContract() throws Exception {
        // when: a neighbor is added while orchagent is busy
        inbox.consumer().hold();
        neigh("10.1.1.1", "02:00:00:01:01:01", "permanent");
        // then: the producer's objects, and no applied entry yet
        Wait.until("key pending", WAIT, () -> appl.sismember("NEIGH_TABLE_KEY_SET", "Ethernet0:10.1.1.1"));
        assertEquals(Map.of("neigh", "02:00:00:01:01:01", "family", "IPv4"),
                appl.hgetAll("_NEIGH_TABLE:Ethernet0:10.1.1.1"));
        assertFalse(appl.exists("NEIGH_TABLE:Ethernet0:10.1.1.1"));
        assertFalse(appl.sismember("NEIGH_TABLE_DEL_SET", "Ethernet0:10.1.1.1"));
        // and the consumer, woken by the channel, moves it into NEIGH_TABLE:<key>
        inbox.consumer().release();
        assertEquals(set("Ethernet0:10.1.1.1", "02:00:00:01:01:01", "IPv4"), next("Ethernet0:10.1.1.1"));
        assertEquals(Map.of("neigh", "02:00:00:01:01:01", "family", "IPv4"),
                appl.hgetAll("NEIGH_TABLE:Ethernet0:10.1.1.1"));
        assertFalse(appl.exists("_NEIGH_TABLE:Ethernet0:10.1.1.1"));

        // when: it is deleted while orchagent is busy
        inbox.consumer().hold();
        ns.exec("neigh", "del", "10.1.1.1", "dev", "Ethernet0");
        // then: a pending delete without fields
        Wait.until("delete pending", WAIT, () -> appl.sismember("NEIGH_TABLE_DEL_SET", "Ethernet0:10.1.1.1"));
        assertTrue(appl.sismember("NEIGH_TABLE_KEY_SET", "Ethernet0:10.1.1.1"));
        assertFalse(appl.exists("_NEIGH_TABLE:Ethernet0:10.1.1.1"));
        // and the consumer removes the applied entry
        inbox.consumer().release();
        assertTrue(next("Ethernet0:10.1.1.1").isDelete());
        assertFalse(appl.exists("NEIGH_TABLE:Ethernet0:10.1.1.1"));
    }

    @Test
    void writesIpv4PermanentReachableAndStaleNeighbors() throws Exception {
        neigh("10.1.2.1", "02:00:00:01:02:01", "permanent");
        neigh("10.1.2.2", "02:00:00:01:02:02", "reachable");
        neigh("10.1.2.3", "02:00:00:01:02:03", "stale");
        assertEquals(set("Ethernet0:10.1.2.1", "02:00:00:01:02:01", "IPv4"), next("Ethernet0:10.1.2.1"));
        assertEquals(set("Ethernet0:10.1.2.2", "02:00:00:01:02:02", "IPv4"), next("Ethernet0:10.1.2.2"));
        assertEquals(set("Ethernet0:10.1.2.3", "02:00:00:01:02:03", "IPv4"), next("Ethernet0:10.1.2.3"));
    }

    @Test
    void writesIpv6PermanentReachableAndStaleNeighbors() throws Exception {
        neigh("fc00:2::1", "02:00:00:02:02:01", "permanent");
        neigh("fc00:2::2", "02:00:00:02:02:02", "reachable");
        neigh("FC00:2:0:0:0:0:0:3", "02:00:00:02:02:03", "stale");
        assertEquals(set("Ethernet0:fc00:2::1", "02:00:00:02:02:01", "IPv6"), next("Ethernet0:fc00:2::1"));
        assertEquals(set("Ethernet0:fc00:2::2", "02:00:00:02:02:02", "IPv6"), next("Ethernet0:fc00:2::2"));
        assertEquals(set("Ethernet0:fc00:2::3", "02:00:00:02:02:03", "IPv6"), next("Ethernet0:fc00:2::3"));
    }

    @Test
    void writesTheNewMacWhenItChanges() throws Exception {
        neigh("10.1.3.1", "02:00:00:01:03:01", "reachable");
        assertEquals(set("Ethernet0:10.1.3.1", "02:00:00:01:03:01", "IPv4"), next("Ethernet0:10.1.3.1"));
        neigh("10.1.3.1", "02:00:00:01:03:99", "reachable");
        assertEquals(set("Ethernet0:10.1.3.1", "02:00:00:01:03:99", "IPv4"), next("Ethernet0:10.1.3.1"));
    }

    @Test
    void writesNothingWhenOnlyTheStateChanges() throws Exception {
        neigh("10.1.4.1", "02:00:00:01:04:01", "reachable");
        assertEquals(set("Ethernet0:10.1.4.1", "02:00:00:01:04:01", "IPv4"), next("Ethernet0:10.1.4.1"));
        neigh("10.1.4.1", "02:00:00:01:04:01", "stale");
        neigh("10.1.4.1", "02:00:00:01:04:01", "permanent");
        assertNoWrite("Ethernet0:10.1.4.1");
    }

    @Test
    void deletesTheEntryWhenTheKernelDeletesTheNeighbor() throws Exception {
        neigh("fc00:5::1", "02:00:00:01:05:01", "permanent");
        assertEquals(set("Ethernet0:fc00:5::1", "02:00:00:01:05:01", "IPv6"), next("Ethernet0:fc00:5::1"));
        ns.exec("neigh", "del", "fc00:5::1", "dev", "Ethernet0");
        assertTrue(next("Ethernet0:fc00:5::1").isDelete());
        assertFalse(appl.exists("NEIGH_TABLE:Ethernet0:fc00:5::1"));
    }

    @Test
    void deletesTheEntryWhenAnExistingNeighborTurnsFailedOrIncomplete() throws Exception {
        neigh("10.1.6.1", "02:00:00:01:06:01", "reachable");
        neigh("10.1.6.2", "02:00:00:01:06:02", "reachable");
        assertEquals(set("Ethernet0:10.1.6.1", "02:00:00:01:06:01", "IPv4"), next("Ethernet0:10.1.6.1"));
        assertEquals(set("Ethernet0:10.1.6.2", "02:00:00:01:06:02", "IPv4"), next("Ethernet0:10.1.6.2"));
        ns.exec("neigh", "replace", "10.1.6.1", "dev", "Ethernet0", "nud", "failed");
        ns.exec("neigh", "replace", "10.1.6.2", "dev", "Ethernet0", "nud", "incomplete");
        assertTrue(next("Ethernet0:10.1.6.1").isDelete());
        assertTrue(next("Ethernet0:10.1.6.2").isDelete());
    }

    @Test
    void ignoresBroadcastMacAndMulticastLinkLocalNeighbors() throws Exception {
        neigh("10.1.7.255", "ff:ff:ff:ff:ff:ff", "permanent");
        neigh("ff02::7", "33:33:00:00:00:07", "permanent");
        assertNoWrite("Ethernet0:10.1.7.255");
        assertNoWrite("Ethernet0:ff02::7");
        assertTrue(daemon.dropped(DropReason.MAC_BROADCAST) >= 1);
        assertTrue(daemon.dropped(DropReason.IPV6_MULTICAST_LINK_LOCAL) >= 1);
    }

    @Test
    void writesNoarpNeighborsOnlyWhenExternallyLearned() throws Exception {
        neigh("10.1.8.1", "02:00:00:01:08:01", "noarp");
        ns.exec("neigh", "replace", "10.1.8.2", "lladdr", "02:00:00:01:08:02", "dev", "Ethernet0", "extern_learn",
                "nud", "noarp");
        assertEquals(set("Ethernet0:10.1.8.2", "02:00:00:01:08:02", "IPv4"), next("Ethernet0:10.1.8.2"));
        assertNoWrite("Ethernet0:10.1.8.1");
    }

    @Test
    void writesIpv6LinkLocalNeighborsOnlyInLinkLocalOnlyMode() throws Exception {
        // given: link-local-only mode is off
        neigh("fe80::10", "02:00:00:01:10:01", "permanent");
        assertNoWrite("Ethernet0:fe80::10");
        try {
            // when: CONFIG_DB turns it on for Ethernet0
            configDb.hset("INTERFACE|Ethernet0", "ipv6_use_link_local_only", "enable");
            // then: the kept kernel neighbor is written
            assertEquals(set("Ethernet0:fe80::10", "02:00:00:01:10:01", "IPv6"), next("Ethernet0:fe80::10"));
        } finally {
            configDb.del("INTERFACE|Ethernet0");
        }
        // when it is turned off again, SONiC ignores the neighbor's messages: the entry stays
        Wait.until("link-local-only mode off", WAIT, () -> !daemon.status(s -> s.gauges().modes().map(m -> m.linkLocalOnly()).orElse(true), true));
        neigh("fe80::10", "02:00:00:01:10:02", "permanent");
        assertNoWrite("Ethernet0:fe80::10");
        // until the kernel deletes it: a delete of a link-local neighbor always passes
        ns.exec("neigh", "del", "fe80::10", "dev", "Ethernet0");
        assertTrue(next("Ethernet0:fe80::10").isDelete());
    }

    @Test
    void followsDualTorModeFromPeerSwitch() throws Exception {
        // given: not dual-ToR, so IPv4 link-local is written
        neigh("169.254.0.5", "02:00:00:01:11:05", "permanent");
        assertEquals(set("Ethernet0:169.254.0.5", "02:00:00:01:11:05", "IPv4"), next("Ethernet0:169.254.0.5"));
        neigh("10.1.9.1", "02:00:00:01:09:01", "reachable");
        assertEquals(set("Ethernet0:10.1.9.1", "02:00:00:01:09:01", "IPv4"), next("Ethernet0:10.1.9.1"));
        try {
            // when: a PEER_SWITCH key makes the switch dual-ToR
            configDb.hset("PEER_SWITCH|peer-tor", "address_ipv4", "10.1.0.254");
            Wait.until("dual-ToR mode on", WAIT, () -> daemon.status(s -> s.gauges().modes().map(m -> m.dualTor()).orElse(false), false));
            // then: IPv4 link-local messages are ignored: a new one is not written, the synced one stays
            neigh("169.254.0.6", "02:00:00:01:11:06", "permanent");
            assertNoWrite("Ethernet0:169.254.0.6");
            assertNoWrite("Ethernet0:169.254.0.5");
            // and a neighbor that fails keeps its entry with a zero MAC
            ns.exec("neigh", "replace", "10.1.9.1", "dev", "Ethernet0", "nud", "failed");
            assertEquals(set("Ethernet0:10.1.9.1", "00:00:00:00:00:00", "IPv4"), next("Ethernet0:10.1.9.1"));
        } finally {
            configDb.del("PEER_SWITCH|peer-tor");
        }
        // when the switch is no longer dual-ToR: the ignored neighbor is written, the failed one deleted
        assertEquals(set("Ethernet0:169.254.0.6", "02:00:00:01:11:06", "IPv4"), next("Ethernet0:169.254.0.6"));
        assertTrue(next("Ethernet0:10.1.9.1").isDelete());
        assertNoWrite("Ethernet0:169.254.0.5");
    }

    @Test
    void deletesTheNeighborsOfADeletedLink() throws Exception {
        ns.addVethPair("Ethernet8", "peer8");
        ns.exec("neigh", "replace", "10.1.10.1", "lladdr", "02:00:00:01:10:01", "dev", "Ethernet8", "nud",
                "permanent");
        ns.exec("neigh", "replace", "fc00:10::1", "lladdr", "02:00:00:01:10:02", "dev", "Ethernet8", "nud",
                "permanent");
        assertEquals(set("Ethernet8:10.1.10.1", "02:00:00:01:10:01", "IPv4"), next("Ethernet8:10.1.10.1"));
        assertEquals(set("Ethernet8:fc00:10::1", "02:00:00:01:10:02", "IPv6"), next("Ethernet8:fc00:10::1"));
        ns.exec("link", "del", "Ethernet8");
        assertTrue(next("Ethernet8:10.1.10.1").isDelete());
        assertTrue(next("Ethernet8:fc00:10::1").isDelete());
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void neigh(String ip, String mac, String nud) {
        ns.exec("neigh", "replace", ip, "lladdr", mac, "dev", "Ethernet0", "nud", nud);
    }

    private static Entry set(String key, String mac, String family) {
        return ApplDbInbox.set(key, mac, family);
    }

    /** The next thing orchagent's consumer receives for {@code key}. */
    private Entry next(String key) throws Exception {
        return inbox.next(key);
    }

    /**
     * Nothing was written for {@code key}: a marker neighbor added after everything the test did
     * arrives, and still nothing for the key came before or with it.
     */
    private void assertNoWrite(String key) throws Exception {
        inbox.assertNothingWrittenFor(key);
    }
}
