package net.neighsyncd.itests;

import net.neighsyncd.api.engine.SyncStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.ClientType;

/**
 * Faults the C++ daemon does not survive: a netlink overflow, Redis killed, flushed, its scripts
 * flushed, or unreachable for a while; stale entries from an earlier run. After each, APPL_DB
 * must equal the kernel's table after the rules.
 */
class NeverDivergeTest {
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    /** Short audits so that a FLUSHALL is noticed quickly; the default is 5 s. */
    private static final Map<String, List<String>> FAST_AUDIT =
            Map.of("net.neighsyncd.core", List.of("auditIntervalMillis = 200", "retryMaxMillis = 500"));

    private RedisServer redis;
    private Netns ns;
    private Daemon daemon;
    private Jedis appl;
    private KernelAndApplDb tables;

    @BeforeEach
    void namespaceAndRedis() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis = RedisServer.start();
        ns = Netns.create("nsd-fault");
        ns.addVethPair("Ethernet0", "peer0");
        appl = redis.jedis(0);
        // orchagent's consumer subscribes before the daemon writes
        tables = new KernelAndApplDb(ns, "Ethernet0", redis);
    }

    @AfterEach
    void stopAll() throws Exception {
        Fixtures.closeAll(tables, daemon, ns, redis);
    }

    @Test
    void convergesAfterABurstThatOverflowsTheNetlinkSocket() throws Exception {
        // given: a tiny receive buffer
        daemon = Daemon.start(Map.of("net.neighsyncd.netlink", List.of("receiveBufferBytes = 4096")),
                "--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        // when: 30k adds, 10k MAC changes and 10k deletes in one burst
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            burst.add("neigh replace " + ip(i) + " lladdr " + mac(i, 1) + " dev Ethernet0 nud permanent");
        }
        for (int i = 0; i < 10_000; i++) {
            burst.add("neigh replace " + ip(i) + " lladdr " + mac(i, 2) + " dev Ethernet0 nud permanent");
        }
        for (int i = 20_000; i < 30_000; i++) {
            burst.add("neigh del " + ip(i) + " dev Ethernet0");
        }
        ns.batch(burst);
        // then: the overflow was seen and repaired, and APPL_DB equals the kernel
        Duration took = tables.awaitEqual(CONVERGE);
        long overflows = daemon.status(s -> s.counters().overflows(), 0L);
        assertTrue(overflows > 0, "the burst must overflow the 4 KiB buffer for this test to prove anything");
        Wait.until("the resync after the overflow", Duration.ofSeconds(30),
                () -> daemon.status(s -> s.counters().resyncsAfterOverflow(), 0L) >= 1 && daemon.problems().isEmpty());
        assertEquals(20_000, tables.applDb().size());
        System.out.printf(Locale.ROOT, "overflow burst: %d events, %d overflows, %d dumps, %d resyncs after overflow, "
                + "converged %.2f s after the burst%n", burst.size(), overflows, daemon.status(s -> s.counters().dumpsCompleted(), 0L),
                daemon.status(s -> s.counters().resyncsAfterOverflow(), 0L), took.toMillis() / 1000.0);
    }

    @Test
    void rewritesEverythingAfterRedisIsKilledAndRestartedEmptyDuringABurst() throws Exception {
        // given
        addNeighbors(0, 2_000, 1);
        daemon = Daemon.start(FAST_AUDIT, "--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        tables.awaitEqual(CONVERGE);
        // when: Redis dies by SIGKILL in the middle of a burst and comes back empty
        Thread burst = new Thread(() -> addNeighbors(2_000, 20_000, 1));
        burst.start();
        redis.kill();
        redis.restart();
        burst.join();
        appl = redis.jedis(0);
        // orchagent comes back with Redis: a new subscription, counting what is pending by then
        tables.close();
        tables = new KernelAndApplDb(ns, "Ethernet0", redis);
        // then
        tables.awaitEqual(CONVERGE);
        assertEquals(20_000, tables.applDb().size());
    }

    @Test
    void repairsAPlainFlushall() throws Exception {
        // given
        addNeighbors(0, 500, 1);
        daemon = Daemon.start(FAST_AUDIT, "--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        tables.awaitEqual(CONVERGE);
        // when
        appl.flushAll();
        // then
        tables.awaitEqual(CONVERGE);
        assertEquals(500, tables.applDb().size());
    }

    @Test
    void keepsWritingAfterTheScriptCacheIsFlushed() throws Exception {
        // given
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        // when
        appl.scriptFlush();
        addNeighbors(0, 300, 1);
        // then
        tables.awaitEqual(CONVERGE);
        assertEquals(300, tables.applDb().size());
    }

    @Test
    void writesOnlyWhatChangedAfterTheSocketIsGoneForTenSeconds() throws Exception {
        // given: in sync, and everything consumed
        addNeighbors(0, 1_000, 1);
        daemon = Daemon.start(FAST_AUDIT, "--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        tables.awaitEqual(CONVERGE);
        OrchagentConsumer consumer = tables.consumer();
        consumer.awaitIdle(CONVERGE);
        consumer.takeAll();
        // when: the socket path disappears, the daemon's connections are cut, and 10 neighbors change
        Path socket = redis.socketPath();
        Path away = socket.resolveSibling("redis.sock.away");
        Files.move(socket, away);
        killTheDaemonsConnections();
        addNeighbors(0, 10, 7);
        Thread.sleep(10_000);
        assertTrue(daemon.status(s -> s.appDb().errors(), 0L) > 0, "the daemon must have noticed the outage");
        Files.move(away, socket);
        // then: the same server is back with its data; only the 10 changed keys are written
        tables.awaitEqual(CONVERGE);
        Wait.until("the writes after the outage", Duration.ofSeconds(10),
                () -> daemon.status(s -> s.appDb().stateReads(), 0L) >= 2 && daemon.status(SyncStatus::pendingWrites, -1) == 0);
        consumer.awaitIdle(CONVERGE);
        List<ProducerStateTableConsumer.Entry> popped = consumer.takeAll();
        assertEquals(0, appl.scard("NEIGH_TABLE_KEY_SET"), consumer.summary());
        // exactly the 10 changed keys reach orchagent, once each, with their new MACs
        Map<String, String> expected = new java.util.TreeMap<>();
        for (int i = 0; i < 10; i++) {
            expected.put("Ethernet0:" + ip(i), mac(i, 7));
        }
        Map<String, String> got = new java.util.TreeMap<>();
        for (ProducerStateTableConsumer.Entry e : popped) {
            assertTrue(got.put(e.key(), e.fields().get("neigh")) == null, "written twice: " + e.key());
        }
        assertEquals(expected, got, "only the changed keys may be written again");
    }

    @Test
    void deletesStaleEntriesOfAnEarlierRunAtColdStart() throws Exception {
        // given: APPL_DB holds an entry the kernel has and one it no longer has
        addNeighbors(0, 1, 1);
        appl.hset("NEIGH_TABLE:Ethernet0:" + ip(0), Map.of("neigh", mac(0, 1), "family", "IPv4"));
        appl.hset("NEIGH_TABLE:Ethernet0:10.66.0.1", Map.of("neigh", "02:00:00:00:66:01", "family", "IPv4"));
        OrchagentConsumer consumer = tables.consumer();
        // when
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        // then: the stale one is deleted and the matching one is not written at all
        List<ProducerStateTableConsumer.Entry> popped = new ArrayList<>(
                consumer.awaitKeys(List.of("Ethernet0:10.66.0.1"), Duration.ofSeconds(15)));
        consumer.awaitIdle(Duration.ofSeconds(15));
        popped.addAll(consumer.takeAll());
        assertEquals(List.of(new ProducerStateTableConsumer.Entry("Ethernet0:10.66.0.1", Map.of(), true)), popped);
        tables.awaitEqual(CONVERGE);
    }

    @Test
    void operatorResyncWritesNothingWhenInSync() throws Exception {
        // given
        addNeighbors(0, 200, 1);
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        tables.awaitEqual(CONVERGE);
        long dumps = daemon.status(s -> s.counters().dumpsCompleted(), 0L);
        long writes = daemon.status(s -> s.appDb().writtenSet(), 0L) + daemon.status(s -> s.appDb().writtenDelete(), 0L);
        // when
        daemon.resync();
        // then
        Wait.until("the resync dump", Duration.ofSeconds(15), () -> daemon.status(s -> s.counters().dumpsCompleted(), 0L) > dumps);
        assertEquals(writes, daemon.status(s -> s.appDb().writtenSet(), 0L) + daemon.status(s -> s.appDb().writtenDelete(), 0L));
        assertEquals(0, appl.scard("NEIGH_TABLE_KEY_SET"));
    }

    /** CLIENT KILL of the daemon's connections (named {@code neighsyncd-*}); the test's and orchagent's stay. */
    private void killTheDaemonsConnections() {
        for (String line : appl.clientList(ClientType.NORMAL).split("\n")) {
            Map<String, String> fields = new java.util.HashMap<>();
            for (String field : line.trim().split(" ")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    fields.put(field.substring(0, eq), field.substring(eq + 1));
                }
            }
            if (fields.getOrDefault("name", "").startsWith("neighsyncd-")) {
                appl.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", fields.get("id"));
            }
        }
    }

    private void addNeighbors(int from, int to, int macVariant) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add("neigh replace " + ip(i) + " lladdr " + mac(i, macVariant) + " dev Ethernet0 nud permanent");
        }
        ns.batch(lines);
    }

    private static String ip(int i) {
        return "10." + ((i >> 16) & 0xFF) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF);
    }

    private static String mac(int i, int variant) {
        return String.format(Locale.ROOT, "02:%02x:00:%02x:%02x:%02x", variant, (i >> 16) & 0xFF, (i >> 8) & 0xFF,
                i & 0xFF);
    }
}
