package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import net.neighsyncd.api.alerting.Alert;
import net.neighsyncd.api.alerting.AlertService;
import org.osgi.framework.ServiceReference;

/**
 * An alert rule and a webhook as FileInstall factory configurations in etc/: with the Redis
 * server killed the rule goes pending, then fires after its for-duration (webhook POST, the
 * firing gauge); with Redis back it resolves (webhook POST).
 */
class AlertingTest {
    private static final String RULE = "test-redis";
    private static final String EVALUATIONS = "neighsyncd_alerts_evaluations_total{rule=\"" + RULE + "\"}";
    /**
     * Evaluations that span the rule's for-duration (1 s at one per 200 ms) and then some: a rule
     * that went pending at the first of them has fired by the last.
     */
    private static final int BEYOND_THE_FOR_DURATION = 7;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void redisKilledFiresAfterTheForDurationAndResolvesWhenItIsBack() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        List<JSONObject> posted = new CopyOnWriteArrayList<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/alerts", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            posted.add(new JSONObject(body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        Map<String, List<String>> settings = Map.of(
                "net.neighsyncd.alert.rule-" + RULE, List.of("name = " + RULE, "meter = neighsyncd.redis.connected",
                        "condition = below", "threshold = 0.5", "hysteresis = 0.2", "forSeconds = 1",
                        "intervalMillis = 200", "severity = critical", "labels = team=net,site=lab",
                        "description = APPL_DB's Redis is unreachable"),
                "net.neighsyncd.alert.webhook-test", List.of("url = http://127.0.0.1:" + hook.getAddress().getPort()
                        + "/alerts", "timeoutMillis = 2000", "retries = 3", "backoffMillis = 100"));
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-alert")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = Daemon.start(settings, "--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                assertEquals(List.of(), daemon.inactiveBundles());
                String metrics = "http://127.0.0.1:" + daemon.httpPort() + "/metrics";
                Wait.until("the firing gauge published", Duration.ofSeconds(10),
                        () -> MetricsEndpointTest.samples(get(metrics)).containsKey(
                                "neighsyncd_alerts_firing{severity=\"critical\"}"));
                // given: Redis up, the rule evaluated for longer than its for-duration
                awaitEvaluations(metrics, BEYOND_THE_FOR_DURATION);
                assertEquals(null, state(daemon), "healthy: the rule is inactive");
                assertEquals(0.0, firing(metrics));
                assertTrue(posted.isEmpty(), posted.toString());

                // when: Redis dies and a change waits to be written
                Instant killed = Instant.now();
                redis.kill();
                ns.exec("neigh", "replace", "10.31.0.1", "lladdr", "02:00:00:00:31:01", "dev", "Ethernet0", "nud",
                        "permanent");

                // then: firing, no sooner than the for-duration after it went pending (or, when the
                // polling did not catch it pending, after Redis died); if the polling saw the rule
                // before it fired, it saw it pending
                List<String> seen = new ArrayList<>();
                Instant[] pendingSince = {killed};
                Wait.until("rule firing", Duration.ofSeconds(30), () -> {
                    JSONObject a = alert(daemon);
                    String s = a == null ? null : a.getString("state");
                    if (s != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s))) {
                        seen.add(s);
                        if ("PENDING".equals(s)) {
                            pendingSince[0] = Instant.parse(a.getString("since"));
                        }
                    }
                    return "FIRING".equals(s);
                });
                assertTrue(List.of("PENDING", "FIRING").equals(seen) || List.of("FIRING").equals(seen), seen.toString());
                Wait.until("FIRING posted", Duration.ofSeconds(10), () -> !ofRule(posted).isEmpty());
                JSONObject fired = ofRule(posted).get(0);
                assertEquals("FIRING", fired.getString("state"), fired.toString());
                Instant firedAt = Instant.parse(fired.getString("since"));
                assertTrue(!firedAt.isBefore(pendingSince[0].plusSeconds(1)), "fired at " + firedAt
                        + ", less than the for-duration after " + pendingSince[0] + " (Redis died at " + killed + ")");
                assertEquals("critical", fired.getString("severity"));
                assertEquals("net", fired.getJSONObject("labels").getString("team"));
                assertEquals("lab", fired.getJSONObject("labels").getString("site"));
                assertEquals("APPL_DB's Redis is unreachable", fired.getString("description"));
                assertEquals(0.0, fired.getDouble("value"));
                assertTrue(contentTypes.get(0).startsWith("application/json"), contentTypes.toString());
                Wait.until("firing gauge 1", Duration.ofSeconds(5), () -> firing(metrics) >= 1.0);

                // when: Redis is back
                redis.restart();

                // then: resolved, posted once after the FIRING, gauge back to 0
                Wait.until("RESOLVED posted", Duration.ofSeconds(30), () -> ofRule(posted).size() >= 2);
                // and the rule, evaluated for longer than its for-duration since, stays resolved
                awaitEvaluations(metrics, BEYOND_THE_FOR_DURATION);
                List<JSONObject> mine = ofRule(posted);
                assertEquals(2, mine.size(), mine.toString());
                assertEquals("RESOLVED", mine.get(1).getString("state"));
                assertEquals(1.0, mine.get(1).getDouble("value"));
                assertEquals(null, state(daemon));
                Wait.until("firing gauge 0", Duration.ofSeconds(5), () -> firing(metrics) == 0.0);
            }
        } finally {
            hook.stop(0);
        }
    }

    private static List<JSONObject> ofRule(List<JSONObject> posted) {
        List<JSONObject> out = new ArrayList<>();
        for (JSONObject o : posted) {
            if (RULE.equals(o.getString("rule"))) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * Waits until the rule has been evaluated {@code n} more times from now: the engine's
     * evaluation counter advances only after an evaluation's outcome is readable, so what is
     * read afterwards has seen them.
     */
    private void awaitEvaluations(String metrics, int n) throws Exception {
        double from = evaluations(metrics);
        Wait.until(n + " evaluations of " + RULE + " after " + from, Duration.ofSeconds(30),
                () -> evaluations(metrics) >= from + n);
    }

    /** The rule's evaluations so far, 0 before the first. */
    private double evaluations(String metrics) throws Exception {
        return MetricsEndpointTest.samples(get(metrics)).getOrDefault(EVALUATIONS, 0.0);
    }

    private double firing(String metrics) throws Exception {
        Double v = MetricsEndpointTest.samples(get(metrics)).get("neighsyncd_alerts_firing{severity=\"critical\"}");
        return v == null ? -1 : v;
    }

    /** The state of the test rule in AlertService.active(), or null when it is not active. */
    private static String state(Daemon daemon) throws Exception {
        JSONObject a = alert(daemon);
        return a == null ? null : a.getString("state");
    }

    /** The test rule's state and since (ISO-8601) in AlertService.active(), or null when it is not active. */
    private static JSONObject alert(Daemon daemon) {
        ServiceReference<AlertService> ref = daemon.context().getServiceReference(AlertService.class);
        if (ref == null) {
            return null;
        }
        AlertService service = daemon.context().getService(ref);
        try {
            for (Alert alert : service.active()) {
                if (RULE.equals(alert.rule())) {
                    return new JSONObject().put("state", alert.state().toString()).put("since", alert.since().toString());
                }
            }
            return null;
        } finally {
            daemon.context().ungetService(ref);
        }
    }

    private String get(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
