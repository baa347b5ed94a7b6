package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * SONiC's warm-restart cases (sonic-contract §5): the daemon restarts over an APPL_DB left by
 * its previous run and writes exactly the difference, counted from the producer's own objects
 * (key set, delete set, pending hashes) with no consumer running.
 */
class WarmRestartTest {
    private RedisServer redis;
    private Netns ns;
    private Daemon daemon;
    private Jedis appl;
    private Jedis config;
    private Jedis state;

    @BeforeEach
    void switchWithWarmRestartEnabled() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis = RedisServer.start();
        ns = Netns.create("nsd-warm");
        ns.addVethPair("Ethernet0", "peer0");
        appl = redis.jedis(0);
        config = redis.jedis(4);
        state = redis.jedis(6);
        state.hset("WARM_RESTART_ENABLE_TABLE|swss", "enable", "true");
        state.hset("WARM_RESTART_TABLE|neighsyncd", "restore_count", "2");
        state.hset("NEIGH_RESTORE_TABLE|Flags", "restored", "true");
        config.hset("WARM_RESTART|swss", "neighsyncd_timer", "1");
    }

    @AfterEach
    void stopAll() throws Exception {
        Fixtures.closeAll(daemon, ns, redis);
    }

    @Test
    void restartWithNoChangeWritesNothingAndCountsTheRestore() throws Exception {
        // given: APPL_DB and the kernel agree; a pending object is left over from the last run
        kernelAndApplied("10.3.0.1", "02:00:00:03:00:01");
        kernelAndApplied("fc00:3::1", "02:00:00:03:00:02");
        appl.sadd("NEIGH_TABLE_KEY_SET", "Ethernet0:10.3.9.9");
        appl.hset("_NEIGH_TABLE:Ethernet0:10.3.9.9", Map.of("neigh", "02:00:00:03:09:09", "family", "IPv4"));
        // when
        startAndAwaitReconciled();
        // then: the leftovers are cleared, nothing is written, and the restore is counted
        assertEquals(Set.of(), appl.smembers("NEIGH_TABLE_KEY_SET"));
        assertEquals(Set.of(), appl.keys("_NEIGH_TABLE:*"));
        assertEquals("3", state.hget("WARM_RESTART_TABLE|neighsyncd", "restore_count"));
    }

    @Test
    void deletesExactlyTheNeighborsTheKernelLostWhileDown() throws Exception {
        // given
        kernelAndApplied("10.3.1.1", "02:00:00:03:01:01");
        kernelAndApplied("10.3.1.2", "02:00:00:03:01:02");
        appliedOnly("10.3.1.3", "02:00:00:03:01:03");
        appliedOnly("fc00:3:1::3", "02:00:00:03:01:04");
        // when
        startAndAwaitReconciled();
        // then
        Set<String> gone = Set.of("Ethernet0:10.3.1.3", "Ethernet0:fc00:3:1::3");
        assertEquals(gone, appl.smembers("NEIGH_TABLE_KEY_SET"));
        assertEquals(gone, appl.smembers("NEIGH_TABLE_DEL_SET"));
        assertEquals(Set.of(), appl.keys("_NEIGH_TABLE:*"));
    }

    @Test
    void setsExactlyTheNeighborsTheKernelGainedWhileDown() throws Exception {
        // given
        kernelAndApplied("10.3.2.1", "02:00:00:03:02:01");
        kernelOnly("10.3.2.2", "02:00:00:03:02:02");
        kernelOnly("fc00:3:2::2", "02:00:00:03:02:03");
        // when
        startAndAwaitReconciled();
        // then
        assertEquals(Set.of("Ethernet0:10.3.2.2", "Ethernet0:fc00:3:2::2"), appl.smembers("NEIGH_TABLE_KEY_SET"));
        assertEquals(Set.of(), appl.smembers("NEIGH_TABLE_DEL_SET"));
        assertEquals(Map.of("neigh", "02:00:00:03:02:02", "family", "IPv4"),
                appl.hgetAll("_NEIGH_TABLE:Ethernet0:10.3.2.2"));
    }

    @Test
    void holdsWritesDuringTheTimerThenWritesTheMixedChangesOnce() throws Exception {
        // given: a 15 s timer; one neighbor unchanged, one with a new MAC, one gone, and one that
        // will change twice to the same value during the timer
        config.hset("WARM_RESTART|swss", "neighsyncd_timer", "15");
        kernelAndApplied("10.3.3.1", "02:00:00:03:03:01");
        applied("10.3.3.2", "02:00:00:03:03:02");
        kernel("10.3.3.2", "02:00:00:03:03:99");
        appliedOnly("10.3.3.3", "02:00:00:03:03:03");
        kernelAndApplied("10.3.3.4", "02:00:00:03:03:04");
        // when
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        Wait.until("state restored", Duration.ofSeconds(20),
                () -> "restored".equals(state.hget("WARM_RESTART_TABLE|neighsyncd", "state")));
        kernel("10.3.3.4", "02:00:00:03:03:aa");
        kernel("10.3.3.4", "02:00:00:03:03:aa");
        Thread.sleep(5_000);
        // then: nothing is written while the timer runs
        assertEquals("restored", state.hget("WARM_RESTART_TABLE|neighsyncd", "state"));
        assertEquals(0, appl.scard("NEIGH_TABLE_KEY_SET"));
        // and at expiry exactly the difference, once
        Wait.until("state reconciled", Duration.ofSeconds(30),
                () -> "reconciled".equals(state.hget("WARM_RESTART_TABLE|neighsyncd", "state")));
        assertEquals(Set.of("Ethernet0:10.3.3.2", "Ethernet0:10.3.3.3", "Ethernet0:10.3.3.4"),
                appl.smembers("NEIGH_TABLE_KEY_SET"));
        assertEquals(Set.of("Ethernet0:10.3.3.3"), appl.smembers("NEIGH_TABLE_DEL_SET"));
        assertEquals(Map.of("neigh", "02:00:00:03:03:99", "family", "IPv4"),
                appl.hgetAll("_NEIGH_TABLE:Ethernet0:10.3.3.2"));
        assertEquals(Map.of("neigh", "02:00:00:03:03:aa", "family", "IPv4"),
                appl.hgetAll("_NEIGH_TABLE:Ethernet0:10.3.3.4"));
    }

    @Test
    void coldStartWhenWarmRestartIsNotEnabled() throws Exception {
        // given
        state.del("WARM_RESTART_ENABLE_TABLE|swss");
        kernelAndApplied("10.3.4.1", "02:00:00:03:04:01");
        // when
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        // then: SONiC's cold-start marks, and the matching entry is not written
        Wait.until("state disabled", Duration.ofSeconds(10),
                () -> "disabled".equals(state.hget("WARM_RESTART_TABLE|neighsyncd", "state")));
        assertEquals("0", state.hget("WARM_RESTART_TABLE|neighsyncd", "restore_count"));
        assertEquals(0, appl.scard("NEIGH_TABLE_KEY_SET"));
    }

    private void startAndAwaitReconciled() throws Exception {
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        Wait.until("state reconciled", Duration.ofSeconds(30),
                () -> "reconciled".equals(state.hget("WARM_RESTART_TABLE|neighsyncd", "state"))
                        && !"2".equals(state.hget("WARM_RESTART_TABLE|neighsyncd", "restore_count")));
        daemon.awaitInitialSync(Duration.ofSeconds(10));
    }

    private void kernelAndApplied(String ip, String mac) {
        kernel(ip, mac);
        applied(ip, mac);
    }

    private void kernelOnly(String ip, String mac) {
        kernel(ip, mac);
    }

    private void appliedOnly(String ip, String mac) {
        applied(ip, mac);
    }

    private void kernel(String ip, String mac) {
        ns.exec("neigh", "replace", ip, "lladdr", mac, "dev", "Ethernet0", "nud", "permanent");
    }

    private void applied(String ip, String mac) {
        appl.hset("NEIGH_TABLE:Ethernet0:" + ip,
                Map.of("neigh", mac, "family", ip.contains(":") ? "IPv6" : "IPv4"));
    }

    @Test
    void builtInRestoreRefillsTheKernelSetsTheFlagAndNothingIsWritten() throws Exception {
        // given: a warm reboot — APPL_DB holds the neighbors, the kernel has none, and no one else
        // will set the restore flag
        state.del("NEIGH_RESTORE_TABLE|Flags");
        applied("10.3.5.1", "02:00:00:03:05:01");
        applied("fc00:3:5::1", "02:00:00:03:05:02");
        // when
        daemon = Daemon.start(Map.of("net.neighsyncd.restore", java.util.List.of("enabled = true",
                "namespace = " + ns.name(), "timeoutSeconds = 20")), "--redis-url", redis.unixUrl(0), "--netns",
                ns.name());
        Wait.until("state reconciled", Duration.ofSeconds(40),
                () -> "reconciled".equals(state.hget("WARM_RESTART_TABLE|neighsyncd", "state")));
        // then: the kernel has them back as STALE, the flag is set, and APPL_DB got no write
        String kernel = ns.exec("neigh", "show", "dev", "Ethernet0");
        assertTrue(kernel.contains("10.3.5.1 lladdr 02:00:00:03:05:01 STALE"), kernel);
        assertTrue(kernel.contains("fc00:3:5::1 lladdr 02:00:00:03:05:02 STALE"), kernel);
        assertEquals("true", state.hget("NEIGH_RESTORE_TABLE|Flags", "restored"));
        assertEquals(0, appl.scard("NEIGH_TABLE_KEY_SET"));
    }
}
