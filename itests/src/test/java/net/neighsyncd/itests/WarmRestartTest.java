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
 * SONiC's warm-restart cases (docs/sonic-contract.md §5): the daemon restarts over an APPL_DB left by
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
        long handled = daemon.status(s -> s.counters().messages(), 0L);
        kernel("10.3.3.4", "02:00:00:03:03:aa");
        kernel("10.3.3.4", "02:00:00:03:03:aa");
        Wait.until("the engine handled the change", Duration.ofSeconds(10), () -> daemon.status(s -> s.counters().messages(), 0L) > handled);
        // then: nothing is written while the timer runs, the change included
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
        // given a STATE_DB with no entry of neighsyncd, as after a cold boot
        state.del("WARM_RESTART_ENABLE_TABLE|swss");
        state.del("WARM_RESTART_TABLE|neighsyncd");
        kernelAndApplied("10.3.4.1", "02:00:00:03:04:01");
        // when
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        // then: exactly what SONiC's neighsyncd leaves (restore_count 0, no state), and the
        // matching entry is not written
        assertEquals(Map.of("restore_count", "0"), state.hgetAll("WARM_RESTART_TABLE|neighsyncd"));
        assertEquals(0, appl.scard("NEIGH_TABLE_KEY_SET"));
    }

    @Test
    void writesExactlyTheWarmRestartFieldsOfEachPhase() throws Exception {
        // given a warm start that will wait for the kernel restore flag
        state.del("NEIGH_RESTORE_TABLE|Flags");
        kernelAndApplied("10.3.7.1", "02:00:00:03:07:01");
        // when
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        Wait.until("state restored", Duration.ofSeconds(20),
                () -> "restored".equals(state.hget("WARM_RESTART_TABLE|neighsyncd", "state")));
        // then, while it waits: the count and the state, nothing else
        assertEquals(Map.of("restore_count", "3", "state", "restored"), state.hgetAll("WARM_RESTART_TABLE|neighsyncd"));
        // when the kernel restore is done and the timer fires
        state.hset("NEIGH_RESTORE_TABLE|Flags", "restored", "true");
        Wait.until("state reconciled", Duration.ofSeconds(30),
                () -> "reconciled".equals(state.hget("WARM_RESTART_TABLE|neighsyncd", "state")));
        // then
        assertEquals(Map.of("restore_count", "3", "state", "reconciled"),
                state.hgetAll("WARM_RESTART_TABLE|neighsyncd"));
    }

    @Test
    void deletesEveryEntryTheKernelDidNotConfirmWhateverItsShape() throws Exception {
        // given entries neighsyncd would not write: an upper-case address, a key that is no
        // neighbor, an upper-case MAC, and one without family whose neighbor the kernel has
        appl.hset("NEIGH_TABLE:Ethernet0:FC00:3:6::1", Map.of("neigh", "02:00:00:03:06:01", "family", "IPv6"));
        appl.hset("NEIGH_TABLE:not-a-neighbor", Map.of("neigh", "02:00:00:03:06:02", "family", "IPv4"));
        appl.hset("NEIGH_TABLE:Ethernet0:10.3.6.3", Map.of("neigh", "02:00:00:03:06:0A", "family", "IPv4"));
        appl.hset("NEIGH_TABLE:Ethernet0:10.3.6.4", Map.of("neigh", "02:00:00:03:06:04"));
        kernel("10.3.6.4", "02:00:00:03:06:04");
        kernelAndApplied("10.3.6.5", "02:00:00:03:06:05");
        // when
        startAndAwaitReconciled();
        // then, as SONiC's reconcile: every unconfirmed key is deleted, the confirmed one is set in full
        Set<String> deleted = Set.of("Ethernet0:FC00:3:6::1", "not-a-neighbor", "Ethernet0:10.3.6.3");
        assertEquals(deleted, appl.smembers("NEIGH_TABLE_DEL_SET"));
        Set<String> pending = new java.util.HashSet<>(deleted);
        pending.add("Ethernet0:10.3.6.4");
        assertEquals(pending, appl.smembers("NEIGH_TABLE_KEY_SET"));
        assertEquals(Map.of("neigh", "02:00:00:03:06:04", "family", "IPv4"),
                appl.hgetAll("_NEIGH_TABLE:Ethernet0:10.3.6.4"));
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
