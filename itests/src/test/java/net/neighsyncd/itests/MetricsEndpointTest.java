package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics}, {@code /health/live} and {@code /health/ready} of the distribution's runtime,
 * without a login, against a real namespace and a real Redis.
 */
class MetricsEndpointTest {
    /** The series of the set writes of the pipeline of {@code ns} (its namespace label). */
    private static String writesSet(Netns ns) {
        return "neighsyncd_appldb_writes_total{namespace=\"" + ns.name() + "\",op=\"set\"}";
    }

    private static String droppedLinkLocal(Netns ns) {
        return "neighsyncd_messages_dropped_total{namespace=\"" + ns.name() + "\",reason=\"ipv6_link_local\"}";
    }
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$",
            Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void scrapesEngineAndJvmMetricsAndReportsHealth() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-mx")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                String base = "http://127.0.0.1:" + daemon.httpPort();
                daemon.awaitInitialSync(Duration.ofSeconds(20));

                // then: ready and live, no login asked
                AtomicReference<HttpResponse<String>> ready = new AtomicReference<>();
                Wait.until("/health/ready 200", Duration.ofSeconds(10), () -> {
                    ready.set(get(base + "/health/ready"));
                    return ready.get().statusCode() == 200;
                });
                JSONObject readyJson = new JSONObject(ready.get().body());
                assertEquals("UP", readyJson.getString("status"), ready.get().body());
                assertTrue(readyJson.getBoolean("initialSyncDone"));
                assertTrue(readyJson.getJSONArray("problems").isEmpty());
                HttpResponse<String> live = get(base + "/health/live");
                assertEquals(200, live.statusCode(), live.body());
                assertEquals("UP", new JSONObject(live.body()).getString("status"));
                assertTrue(live.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

                // and: /metrics in the Prometheus text format, JVM meters and every drop reason at start
                HttpResponse<String> first = get(base + "/metrics");
                assertEquals(200, first.statusCode());
                assertTrue(first.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                        first.headers().toString());
                Map<String, Double> before = samples(first.body());
                assertTrue(before.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")), first.body());
                assertTrue(before.containsKey("process_uptime_seconds"), first.body());
                assertTrue(before.containsKey("system_cpu_count"), first.body());
                assertTrue(before.keySet().stream().anyMatch(k -> k.startsWith("jvm_threads_live_threads")), first.body());
                for (String reason : new String[] {"not_ip", "ipv4_link_local_dual_tor", "ipv6_link_local",
                        "ipv6_multicast_link_local", "noarp", "mac_missing", "mac_broadcast", "family_disabled",
                        "interface_ignored", "filtered"}) {
                    assertTrue(before.containsKey("neighsyncd_messages_dropped_total{namespace=\"" + ns.name() + "\",reason=\"" + reason + "\"}"),
                            reason + "\n" + first.body());
                }
                assertEquals(1.0, before.get("neighsyncd_initial_sync_done{namespace=\"" + ns.name() + "\"}"));
                assertEquals(1.0, before.get("neighsyncd_healthy{namespace=\"" + ns.name() + "\"}"));

                // when: three neighbors, one of them IPv6 link-local
                ns.exec("neigh", "replace", "10.21.0.1", "lladdr", "02:00:00:00:21:01", "dev", "Ethernet0", "nud",
                        "permanent");
                ns.exec("neigh", "replace", "2001:db8::21", "lladdr", "02:00:00:00:21:02", "dev", "Ethernet0", "nud",
                        "permanent");
                ns.exec("neigh", "replace", "fe80::21", "lladdr", "02:00:00:00:21:03", "dev", "Ethernet0", "nud",
                        "permanent");
                // and a marker neighbor after them: once its set is counted, so is anything they caused
                ns.exec("neigh", "replace", "10.21.0.99", "lladdr", "02:00:00:00:21:99", "dev", "Ethernet0", "nud",
                        "permanent");

                // then: two sets written (and the marker's), one drop by reason ipv6_link_local
                AtomicReference<Map<String, Double>> after = new AtomicReference<>();
                try (redis.clients.jedis.Jedis appl = redis.jedis(0)) {
                    // (the marker in Redis, and a scrape, whose status may be a moment old, that counts
                    // three sets: anything written before the marker is counted by then)
                    Wait.until("the marker's set written and counted", Duration.ofSeconds(10), () -> {
                        if (!appl.sismember("NEIGH_TABLE_KEY_SET", "Ethernet0:10.21.0.99")
                                && !appl.exists("NEIGH_TABLE:Ethernet0:10.21.0.99")) {
                            return false;
                        }
                        after.set(samples(get(base + "/metrics").body()));
                        return after.get().get(writesSet(ns)) - before.get(writesSet(ns)) >= 3
                                && after.get().get("neighsyncd_appldb_pending_writes{namespace=\"" + ns.name() + "\"}") == 0.0;
                    });
                }
                assertEquals(3.0, after.get().get(writesSet(ns)) - before.get(writesSet(ns)));
                assertEquals(1.0, after.get().get(droppedLinkLocal(ns)) - before.get(droppedLinkLocal(ns)));
                assertTrue(after.get().get("neighsyncd_messages_total{namespace=\"" + ns.name() + "\"}") - before.get("neighsyncd_messages_total{namespace=\"" + ns.name() + "\"}") >= 4);
                assertEquals(3.0, after.get().get("neighsyncd_neighbors_desired{namespace=\"" + ns.name() + "\"}") - before.get("neighsyncd_neighbors_desired{namespace=\"" + ns.name() + "\"}"));
                // and: the end-to-end latency histogram has the two writes' samples (and more from the start)
                Map<String, Double> a = after.get();
                double latencyCount = a.get("neighsyncd_sync_latency_seconds_count{namespace=\"" + ns.name() + "\"}");
                assertTrue(latencyCount - before.get("neighsyncd_sync_latency_seconds_count{namespace=\"" + ns.name() + "\"}") >= 2, a.toString());
                assertEquals(latencyCount, a.get("neighsyncd_sync_latency_seconds_bucket{namespace=\"" + ns.name() + "\",le=\"+Inf\"}"));
                assertTrue(a.get("neighsyncd_sync_latency_seconds_bucket{namespace=\"" + ns.name() + "\",le=\"5.0\"}") >= 2, a.toString());
                assertTrue(a.get("neighsyncd_sync_latency_seconds_sum{namespace=\"" + ns.name() + "\"}") > 0, a.toString());
                assertTrue(a.get("neighsyncd_appldb_batches_total{namespace=\"" + ns.name() + "\"}") >= 1, a.toString());
                assertTrue(a.get("neighsyncd_appldb_batch_changes_total{namespace=\"" + ns.name() + "\"}") >= a.get("neighsyncd_appldb_batches_total{namespace=\"" + ns.name() + "\"}"));
                assertTrue(a.get("neighsyncd_appldb_write_seconds_count{namespace=\"" + ns.name() + "\"}") >= 1, a.toString());
                assertTrue(a.containsKey("neighsyncd_appldb_write_seconds_sum{namespace=\"" + ns.name() + "\"}"), a.toString());
                assertTrue(a.get("neighsyncd_neighbors_kernel_by_family{family=\"ipv4\",namespace=\"" + ns.name() + "\"}") >= 1, a.toString());
                assertTrue(a.get("neighsyncd_neighbors_kernel_by_family{family=\"ipv6\",namespace=\"" + ns.name() + "\"}") >= 2, a.toString());

                // when: the Redis server dies and a change is waiting
                redis.kill();
                ns.exec("neigh", "replace", "10.21.0.4", "lladdr", "02:00:00:00:21:04", "dev", "Ethernet0", "nud",
                        "permanent");

                // then: not ready, with the problem named; still live
                Wait.until("/health/ready 503", Duration.ofSeconds(20), () -> {
                    ready.set(get(base + "/health/ready"));
                    return ready.get().statusCode() == 503;
                });
                JSONObject down = new JSONObject(ready.get().body());
                assertEquals("DOWN", down.getString("status"), ready.get().body());
                assertFalse(down.getJSONArray("problems").isEmpty(), ready.get().body());
                assertEquals(200, get(base + "/health/live").statusCode());
                Wait.until("neighsyncd_healthy 0", Duration.ofSeconds(5),
                        () -> samples(get(base + "/metrics").body()).get("neighsyncd_healthy{namespace=\"" + ns.name() + "\"}") == 0.0);
                System.out.println("MetricsEndpointTest: /health/ready with Redis killed: " + ready.get().body());
            }
        }
    }

    @Test
    void reportsNeighborsByStateResyncsAndTheWarmRestartState() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-mx2")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                String metrics = "http://127.0.0.1:" + daemon.httpPort() + "/metrics";
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                // given: a cold start, one dump timed, nothing waiting
                Map<String, Double> before = samples(get(metrics).body());
                assertEquals(1.0, before.get("neighsyncd_warm_restart_state{namespace=\"" + ns.name() + "\",state=\"disabled\"}"), before.toString());
                assertEquals(0.0, before.get("neighsyncd_switch_mode{mode=\"dual_tor\",namespace=\"" + ns.name() + "\"}"), before.toString());
                assertEquals(0.0, before.get("neighsyncd_switch_mode{mode=\"evpn_nvo\",namespace=\"" + ns.name() + "\"}"), before.toString());
                assertEquals(0.0, before.get("neighsyncd_switch_mode{mode=\"link_local_only\",namespace=\"" + ns.name() + "\"}"), before.toString());
                assertEquals(0.0, before.get("neighsyncd_warm_restart_state{namespace=\"" + ns.name() + "\",state=\"reconciled\"}"));
                assertEquals(1.0, before.get("neighsyncd_resync_duration_seconds_count{namespace=\"" + ns.name() + "\"}"));
                assertTrue(before.get("neighsyncd_resync_last_duration_seconds{namespace=\"" + ns.name() + "\"}") > 0, before.toString());
                assertEquals(0.0, before.get("neighsyncd_appldb_pending_oldest_age_seconds{namespace=\"" + ns.name() + "\"}"));

                // when: two permanent neighbors and one noarp neighbor (dropped, but in the kernel view)
                ns.exec("neigh", "replace", "10.22.0.1", "lladdr", "02:00:00:00:22:01", "dev", "Ethernet0", "nud",
                        "permanent");
                ns.exec("neigh", "replace", "10.22.0.2", "lladdr", "02:00:00:00:22:02", "dev", "Ethernet0", "nud",
                        "permanent");
                ns.exec("neigh", "replace", "10.22.0.3", "lladdr", "02:00:00:00:22:03", "dev", "Ethernet0", "nud",
                        "noarp");
                // and: an operator resync
                AtomicReference<Map<String, Double>> after = new AtomicReference<>();
                Wait.until("three neighbors in the kernel view", Duration.ofSeconds(10), () -> {
                    after.set(samples(get(metrics).body()));
                    return delta(after.get(), before, "neighsyncd_neighbors_kernel_by_state{namespace=\"" + ns.name() + "\",state=\"permanent\"}") == 2
                            && delta(after.get(), before, "neighsyncd_neighbors_kernel_by_state{namespace=\"" + ns.name() + "\",state=\"noarp\"}") >= 1;
                });
                daemon.resync();

                // then: exactly one more dump timed; the states stay as they are
                Wait.until("the resync timed", Duration.ofSeconds(10), () -> {
                    after.set(samples(get(metrics).body()));
                    return after.get().get("neighsyncd_resync_duration_seconds_count{namespace=\"" + ns.name() + "\"}") >= 2;
                });
                Map<String, Double> a = after.get();
                assertEquals(2.0, a.get("neighsyncd_resync_duration_seconds_count{namespace=\"" + ns.name() + "\"}"), a.toString());
                assertTrue(a.get("neighsyncd_resync_duration_seconds_sum{namespace=\"" + ns.name() + "\"}") > before.get("neighsyncd_resync_duration_seconds_sum{namespace=\"" + ns.name() + "\"}"));
                assertEquals(2.0, delta(a, before, "neighsyncd_neighbors_kernel_by_state{namespace=\"" + ns.name() + "\",state=\"permanent\"}"));
                // (the kernel adds NOARP multicast entries of its own as IPv6 comes up on the veth: at least ours)
                assertTrue(delta(a, before, "neighsyncd_neighbors_kernel_by_state{namespace=\"" + ns.name() + "\",state=\"noarp\"}") >= 1, a.toString());
                assertEquals(0.0, a.get("neighsyncd_appldb_pending_oldest_age_seconds{namespace=\"" + ns.name() + "\"}"));
            }
        }
    }

    @Test
    void aBundlesMetersLeaveTheScrapeWithItAndComeBackWithIt() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-mx3")) {
            String newneigh = "neighsyncd_netlink_messages_total{namespace=\"" + ns.name() + "\",type=\"newneigh\"}";
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                String metrics = "http://127.0.0.1:" + daemon.httpPort() + "/metrics";
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                // given: the netlink bundle's meters (its MeterSource service) are scraped
                assertTrue(samples(get(metrics).body()).containsKey(newneigh));
                org.osgi.framework.Bundle netlink = daemon.bundle("net.neighsyncd.netlink");
                // when: the bundle stops, its service goes with it
                netlink.stop();
                // then: its meters are gone from the scrape, the engine's stay
                Map<String, Double> stopped = samples(get(metrics).body());
                assertFalse(stopped.containsKey(newneigh), stopped.toString());
                assertFalse(stopped.containsKey("neighsyncd_netlink_receive_buffer_bytes{namespace=\"" + ns.name() + "\"}"), stopped.toString());
                assertTrue(stopped.containsKey("neighsyncd_netlink_overflows_total{namespace=\"" + ns.name() + "\"}"), stopped.toString());
                // and when it starts again, they are back, counting from its new dump
                netlink.start();
                Wait.until("the netlink meters back", Duration.ofSeconds(10), () -> {
                    Double v = samples(get(metrics).body()).get(newneigh);
                    return v != null && v > 0;
                });
            }
        }
    }

    private static double delta(Map<String, Double> after, Map<String, Double> before, String sample) {
        return after.get(sample) - before.get(sample);
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sample lines of the text format: {@code name{labels}} to value. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> out = new HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }
}
