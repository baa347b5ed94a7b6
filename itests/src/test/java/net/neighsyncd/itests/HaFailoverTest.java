package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Two daemons, one Redis, one namespace (docs/ha.md): the instance holding the lease writes, the
 * other stands by and takes over when the leader dies, hangs or loses Redis, without a single key
 * written twice. Every count of writes comes from Redis ({@link ProducerSets}), never from the
 * daemons; APPL_DB is read as orchagent's consumer leaves it.
 */
class HaFailoverTest {
    private static final long TTL_MILLIS = 2000;
    private static final long RENEW_MILLIS = 500;
    private static final long TAKEOVER_DELAY_MILLIS = 0;
    /**
     * The configured takeover time: the lease ends at most a time to live after the leader's last
     * renewal, and the standby looks at it every renewal interval, then waits the delay.
     */
    private static final long TAKEOVER_BOUND_MILLIS = TTL_MILLIS + RENEW_MILLIS + TAKEOVER_DELAY_MILLIS;
    /** What a takeover may take beyond its bound here: the test's 20 ms polls of the log, a JVM's pauses. */
    private static final long SLACK_MILLIS = 1000;

    private static final String TOOK_THE_LEASE = "took the lease: leader with fencing token";
    private static final String STEPPED_DOWN = "stepping down to standby";
    private static final String STANDING_BY = ": holding writes";
    private static final String FOLLOWING = "; following";

    @TempDir
    Path work;

    @BeforeEach
    void needsRedisAndNamespaces() {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
    }

    private DaemonProcess start(String name, String redisUrl, Netns ns) throws Exception {
        Path dir = work.resolve(name);
        Path etc = DaemonProcess.configDir(dir, Map.of(
                "net.neighsyncd.access", List.of("tokens = reader:read:" + sha256(READER)),
                "net.neighsyncd.core", List.of("highAvailability = true"),
                "net.neighsyncd.ha", List.of("namespace = ${neighsyncd.netns}", "ttlMillis = " + TTL_MILLIS, "renewMillis = " + RENEW_MILLIS,
                        "takeoverDelayMillis = " + TAKEOVER_DELAY_MILLIS)));
        return DaemonProcess.start(dir.resolve("daemon.log"), "--redis-url", redisUrl, "--netns", ns.name(),
                "--config-dir", etc.toString(), "--run-dir", dir.resolve("run").toString());
    }

    private static final String READER = "nsd_reader-token-for-the-ha-tests-000000000000000";

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static java.net.http.HttpResponse<String> get(DaemonProcess d, String path) throws Exception {
        java.net.http.HttpRequest.Builder r = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + d.httpPort() + path)).timeout(Duration.ofSeconds(10));
        if (path.startsWith("/api/")) {
            r.header("Authorization", "Bearer " + READER);
        }
        return java.net.http.HttpClient.newHttpClient().send(r.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code ha} object of the daemon's one pipeline in {@code GET /api/v1/status}. */
    private static org.json.JSONObject ha(DaemonProcess d) throws Exception {
        java.net.http.HttpResponse<String> r = get(d, "/api/v1/status");
        assertEquals(200, r.statusCode(), r.body());
        org.json.JSONObject status = new org.json.JSONObject(r.body());
        org.json.JSONObject pipeline = status.has("pipelines") ? status.getJSONArray("pipelines").getJSONObject(0)
                : status;
        return pipeline.getJSONObject("ha");
    }

    /** The value of a meter on {@code /metrics} (one series: the daemon's one pipeline). */
    private static double meter(DaemonProcess d, String name) throws Exception {
        for (String line : get(d, "/metrics").body().lines().toList()) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError(name + " not on /metrics");
    }

    private static void awaitLeader(DaemonProcess d) throws Exception {
        Wait.until("the first daemon to take the lease", Duration.ofSeconds(60),
                () -> d.count(TOOK_THE_LEASE) > 0 && d.count("initial sync written to APPL_DB") > 0);
    }

    private static void awaitStandby(DaemonProcess d) throws Exception {
        Wait.until("the second daemon to stand by, following the stream", Duration.ofSeconds(60),
                () -> d.count(STANDING_BY) > 0 && d.count(FOLLOWING) > 0);
    }

    private static List<String> adds(String prefix, int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(String.format(Locale.ROOT, "neigh replace %s.%d.%d lladdr 02:15:%02x:%02x:00:01 dev Ethernet0 "
                    + "nud permanent", prefix, i >> 8, i & 0xFF, i >> 8, i & 0xFF));
        }
        return lines;
    }

    private static String key(String prefix, int i) {
        return "Ethernet0:" + prefix + "." + (i >> 8) + "." + (i & 0xFF);
    }

    /** Adds a marker neighbor and waits until its set reached Redis and orchagent's view: what happened before is counted. */
    private static void marker(Netns ns, ProducerSets sets, KernelAndApplDb tables, String ip) throws Exception {
        ns.exec("neigh", "replace", ip, "lladdr", "02:99:00:00:00:01", "dev", "Ethernet0", "nud", "permanent");
        Wait.until("the marker " + ip + " written", Duration.ofSeconds(30), () -> sets.of("Ethernet0:" + ip) == 1);
        tables.awaitEqual(Duration.ofSeconds(30));
    }

    @Test
    void theStandbyTakesOverFromALeaderKilledDuringChurnInTimeAndWritesNoKeyTwice() throws Exception {
        try (Bench bench = new Bench("nsd-ha-kill")) {
            RedisServer redis = bench.redis;
            Netns ns = bench.ns;
            ProducerSets sets = bench.sets;
            KernelAndApplDb tables = bench.tables;
            try (DaemonProcess a = start("a", redis.unixUrl(0), ns)) {
                awaitLeader(a);
                try (DaemonProcess b = start("b", redis.unixUrl(0), ns)) {
                    awaitStandby(b);
                    // when: 10,000 new neighbors in 40 batches; the leader is killed after the 10th
                    CountDownLatch quarter = new CountDownLatch(1);
                    Thread churn = new Thread(() -> {
                        for (int batch = 0; batch < 40; batch++) {
                            ns.batch(adds("10.15", batch * 250, (batch + 1) * 250));
                            if (batch == 9) {
                                quarter.countDown();
                            }
                        }
                    }, "churn");
                    churn.start();
                    assertTrue(quarter.await(60, TimeUnit.SECONDS));
                    Wait.until("the leader writing the churn", Duration.ofSeconds(30), () -> sets.counts().size() > 100);
                    a.kill();
                    long killed = System.nanoTime();
                    Wait.until("the standby to take the lease", Duration.ofSeconds(30),
                            () -> b.count(TOOK_THE_LEASE) > 0);
                    long tookMillis = (System.nanoTime() - killed) / 1_000_000;
                    churn.join();
                    Duration converged = tables.awaitEqual(Duration.ofSeconds(60));
                    // then: within the configured takeover time
                    assertTrue(tookMillis <= TAKEOVER_BOUND_MILLIS + SLACK_MILLIS, "took over after " + tookMillis
                            + " ms, configured " + TAKEOVER_BOUND_MILLIS + " ms");
                    // and every neighbor was set exactly once, by one of the two
                    Map<String, Integer> counts = sets.counts();
                    Map<String, Integer> twice = new HashMap<>();
                    counts.forEach((k, n) -> {
                        if (n != 1) {
                            twice.put(k, n);
                        }
                    });
                    assertEquals(10_000, counts.size());
                    assertEquals(Map.of(), twice, "keys set more than once");
                    // and the new leader says so in its status, metrics and health
                    org.json.JSONObject ha = ha(b);
                    assertEquals("leader", ha.getString("role"));
                    assertEquals(ha.getString("instance"), ha.getString("leader"));
                    assertEquals(1, ha.getLong("takeovers"));
                    assertTrue(ha.getLong("token") > 0 && ha.has("leaseAgeMillis"), ha.toString());
                    assertTrue(!ha.has("streamLag"), "a leader follows no stream: " + ha);
                    assertEquals(1.0, meter(b, "neighsyncd_ha_leader"));
                    assertEquals(200, get(b, "/health/ready").statusCode());
                    long leaderWrote = a.count(TOOK_THE_LEASE);
                    System.out.printf(Locale.ROOT, "ha kill -9: takeover %d ms after SIGKILL (bound %d ms); "
                            + "APPL_DB equal to the kernel %.2f s after the churn; %d keys each set once "
                            + "(first leader tenures %d)%n", tookMillis, TAKEOVER_BOUND_MILLIS,
                            converged.toMillis() / 1e3, counts.size(), leaderWrote);
                }
            }
        }
    }

    @Test
    void aLeaderStoppedPastItsLeaseWritesNothingWhenResumedAndStandsBy() throws Exception {
        try (Bench bench = new Bench("nsd-ha-stop")) {
            RedisServer redis = bench.redis;
            Netns ns = bench.ns;
            ProducerSets sets = bench.sets;
            KernelAndApplDb tables = bench.tables;
            try (DaemonProcess a = start("a", redis.unixUrl(0), ns)) {
                awaitLeader(a);
                try (DaemonProcess b = start("b", redis.unixUrl(0), ns)) {
                    awaitStandby(b);
                    ns.batch(adds("10.16", 0, 200));
                    tables.awaitEqual(Duration.ofSeconds(30));
                    Map<String, Integer> before = sets.counts();
                    // when: the leader is stopped, the standby takes over, the kernel changes meanwhile
                    signal("STOP", a);
                    Wait.until("the standby to take the lease", Duration.ofSeconds(30),
                            () -> b.count(TOOK_THE_LEASE) > 0);
                    List<String> changes = new ArrayList<>(adds("10.17", 0, 100));
                    for (int i = 0; i < 50; i++) {
                        changes.add(String.format(Locale.ROOT, "neigh replace 10.16.0.%d lladdr 02:16:00:00:%02x:02 "
                                + "dev Ethernet0 nud permanent", i, i));
                    }
                    ns.batch(changes);
                    tables.awaitEqual(Duration.ofSeconds(30));
                    Map<String, Integer> byStandby = sets.counts();
                    // and the old leader resumes with those changes queued on its netlink socket
                    signal("CONT", a);
                    Wait.until("the old leader to step down", Duration.ofSeconds(30),
                            () -> a.count(STEPPED_DOWN) > 0 && a.count(STANDING_BY) > 1);
                    marker(ns, sets, tables, "10.18.0.1");
                    // then: the 150 changed keys were set once each, by the new leader, and nothing since
                    Map<String, Integer> after = sets.counts();
                    after.remove("Ethernet0:10.18.0.1");
                    assertEquals(byStandby, after, "the resumed leader must not write");
                    for (int i = 0; i < 100; i++) {
                        assertEquals(1, byStandby.get(key("10.17", i)), key("10.17", i));
                    }
                    for (int i = 0; i < 50; i++) {
                        assertEquals(before.get(key("10.16", i)) + 1, byStandby.get(key("10.16", i)));
                    }
                    for (int i = 50; i < 200; i++) {
                        assertEquals(before.get(key("10.16", i)), byStandby.get(key("10.16", i)),
                                "an unchanged key rewritten at takeover: " + key("10.16", i));
                    }
                    assertEquals(1, a.count(TOOK_THE_LEASE), "the old leader must not lead again");
                    // and the old leader reports itself standby, the new one as the leader
                    org.json.JSONObject standby = ha(a);
                    assertEquals("standby", standby.getString("role"), standby.toString());
                    assertEquals(ha(b).getString("instance"), standby.getString("leader"));
                    assertEquals(1, standby.getLong("stepDowns"));
                    // (its lag is read with its lease, every renewal interval, once its new replica follows)
                    Wait.until("the standby's stream lag known", Duration.ofSeconds(30), () -> ha(a).has("streamLag"));
                    assertTrue(ha(a).getLong("streamLag") >= 0);
                    assertEquals(0.0, meter(a, "neighsyncd_ha_leader"));
                    assertEquals(1.0, meter(b, "neighsyncd_ha_leader"));
                    assertEquals(503, get(a, "/health/ready").statusCode(), "a standby is not ready: it does not write");
                    // and only the standby follows the stream: a leader keeps no replica
                    try (Jedis j = redis.jedis(0)) {
                        assertEquals(List.of(standby.getString("instance")),
                                j.xinfoGroups("NEIGHSYNCD_APPLIED|" + ns.name()).stream().map(g -> g.getName()).toList());
                    }
                    System.out.printf(Locale.ROOT, "ha SIGSTOP: resumed leader %s; fenced writes logged: %d%n",
                            a.count(STEPPED_DOWN) > 0 ? "stepped down" : "?",
                            a.count("APPL_DB refused a write under fencing token"));
                }
            }
        }
    }

    @Test
    void aLeaderCutOffFromRedisStepsDownBeforeTheStandbyTakesOver() throws Exception {
        try (Bench bench = new Bench("nsd-ha-cut");
                SeverableRedisLink link = new SeverableRedisLink(work.resolve("link.sock"), bench.redis.socketPath())) {
            RedisServer redis = bench.redis;
            Netns ns = bench.ns;
            ProducerSets sets = bench.sets;
            KernelAndApplDb tables = bench.tables;
            try (DaemonProcess a = start("a", link.unixUrl(0), ns)) {
                awaitLeader(a);
                try (DaemonProcess b = start("b", redis.unixUrl(0), ns)) {
                    awaitStandby(b);
                    ns.batch(adds("10.19", 0, 100));
                    tables.awaitEqual(Duration.ofSeconds(30));
                    // when: the leader's link to Redis is cut (the standby's is not)
                    link.sever();
                    long steppedDownAt = 0;
                    long tookOverAt = 0;
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while ((steppedDownAt == 0 || tookOverAt == 0) && System.nanoTime() < end) {
                        if (steppedDownAt == 0 && a.count(STEPPED_DOWN) > 0) {
                            steppedDownAt = System.nanoTime();
                        }
                        if (tookOverAt == 0 && b.count(TOOK_THE_LEASE) > 0) {
                            tookOverAt = System.nanoTime();
                        }
                        Thread.sleep(20);
                    }
                    // then: it stopped counting itself leader before its lease could end, and only then
                    // did the standby take over
                    assertTrue(steppedDownAt != 0, "the cut-off leader never stepped down: " + haLines(a));
                    assertTrue(tookOverAt != 0, "the standby never took over");
                    assertTrue(steppedDownAt <= tookOverAt, "the standby took over "
                            + (steppedDownAt - tookOverAt) / 1_000_000 + " ms before the leader stepped down");
                    ns.batch(adds("10.20", 0, 100));
                    tables.awaitEqual(Duration.ofSeconds(30));
                    // and when the link is back, the old leader stays a standby
                    link.join();
                    Wait.until("the old leader following the stream again", Duration.ofSeconds(30),
                            () -> a.count(FOLLOWING) > 1);
                    marker(ns, sets, tables, "10.21.0.1");
                    assertEquals(1, a.count(TOOK_THE_LEASE));
                    for (int i = 0; i < 100; i++) {
                        assertEquals(1, sets.of(key("10.19", i)), "set again at takeover: " + key("10.19", i));
                    }
                    System.out.printf(Locale.ROOT, "ha cut link: the leader stepped down %d ms before the standby "
                            + "took over%n", (tookOverAt - steppedDownAt) / 1_000_000);
                }
            }
        }
    }

    @Test
    void exactlyOneOfTwoDaemonsStartedAtOnceLeadsEachTime() throws Exception {
        try (Bench bench = new Bench("nsd-ha-both")) {
            RedisServer redis = bench.redis;
            Netns ns = bench.ns;
            ProducerSets sets = bench.sets;
            KernelAndApplDb tables = bench.tables;
            for (int round = 0; round < 5; round++) {
                // given: both daemons started at the same moment
                DaemonProcess a = start("a" + round, redis.unixUrl(0), ns);
                DaemonProcess b = start("b" + round, redis.unixUrl(0), ns);
                try {
                    // when: both are up, one of them leading
                    Wait.until("both daemons up, one leading", Duration.ofSeconds(60), () ->
                            a.count(FOLLOWING) > 0 && b.count(FOLLOWING) > 0
                                    && a.count(TOOK_THE_LEASE) + b.count(TOOK_THE_LEASE) > 0);
                    marker(ns, sets, tables, "10.22.0." + (round + 1));
                    // then: exactly one took the lease
                    assertEquals(1, a.count(TOOK_THE_LEASE) + b.count(TOOK_THE_LEASE), "round " + round);
                    try (Jedis j = redis.jedis(0)) {
                        String holder = j.get("NEIGHSYNCD_LEASE|" + ns.name());
                        assertTrue(holder != null, "nobody holds the lease in round " + round);
                    }
                } finally {
                    a.terminate();
                    b.terminate();
                }
            }
        }
    }

    /** The lines of a daemon's log about its role, for a failure's message. */
    private static String haLines(DaemonProcess d) throws java.io.IOException {
        return String.join("\n", d.log().lines().filter(l -> l.contains("Lease") || l.contains("lease")
                || l.contains("standby") || l.contains("Replica") || l.contains("WARN")).toList());
    }

    /** One Redis, one namespace with Ethernet0, the producer's sets counted, orchagent's view of APPL_DB. */
    private static final class Bench implements AutoCloseable {
        final RedisServer redis;
        final Netns ns;
        final ProducerSets sets;
        final KernelAndApplDb tables;

        Bench(String prefix) throws Exception {
            redis = RedisServer.start();
            Netns n = null;
            ProducerSets p = null;
            try {
                n = Netns.create(prefix);
                n.addVethPair("Ethernet0", "peer0");
                p = ProducerSets.start(redis);
                tables = new KernelAndApplDb(n, "Ethernet0", redis);
            } catch (Exception | Error e) {
                Fixtures.closeAll(p, n, redis);
                throw e;
            }
            ns = n;
            sets = p;
        }

        @Override
        public void close() throws Exception {
            Fixtures.closeAll(tables, sets, ns, redis);
        }
    }

    private static void signal(String signal, DaemonProcess d) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(d.process().pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }
}
