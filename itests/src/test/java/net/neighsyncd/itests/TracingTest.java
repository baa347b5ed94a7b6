package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.tracing.BatchTracer;
import net.neighsyncd.itests.OtlpHttpReceiver.ReceivedSpan;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import redis.clients.jedis.Jedis;

/**
 * OpenTelemetry tracing in the distribution's runtime, exported over OTLP/HTTP to a real receiver
 * in this JVM ({@link OtlpHttpReceiver}), with real kernel neighbors in a private namespace and a
 * real redis-server: off by default, spans per batch (and per neighbor when sampled) once an
 * endpoint is configured, configured and cleared at run time, a rejected value leaving the last
 * good configuration in force.
 */
class TracingTest {
    private static final String PID = "net.neighsyncd.tracing";
    private static final Duration SPANS = Duration.ofSeconds(20);

    private RedisServer redis;
    private Netns ns;
    private OtlpHttpReceiver receiver;
    private Daemon daemon;

    @BeforeEach
    void redisNamespaceAndReceiver() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis = RedisServer.start();
        ns = Netns.create("nsd-trace");
        ns.addVethPair("Ethernet0", "peer0");
        receiver = OtlpHttpReceiver.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        Fixtures.closeAll(daemon, receiver, ns, redis);
    }

    @Test
    void withNoTracingConfigurationTheDaemonSyncsAndNoTracerIsRegistered() throws Exception {
        // given: a kernel neighbor, and the distribution's own configuration (no endpoint)
        neigh("10.77.0.1", "02:00:00:77:00:01");
        // when
        daemon = start(Map.of());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        awaitTracingComponent();
        // then: the neighbor is in APPL_DB, and the engine's writers have no tracer to call
        try (Jedis j = redis.jedis(0)) {
            assertEquals("02:00:00:77:00:01", j.hget("_NEIGH_TABLE:Ethernet0:10.77.0.1", "neigh"));
        }
        assertNull(daemon.context().getServiceReference(BatchTracer.class));
        assertEquals(List.of(), receiver.spans());
    }

    @Test
    void withAnEndpointAndEveryBatchSampledTheReceiverGetsEachBatchWithItsSinkCallAndItsNeighborsInOneTrace()
            throws Exception {
        // given: tracing to the receiver, a span per neighbor for every batch
        daemon = start(Map.of(PID, List.of("endpoint = " + receiver.endpoint(), "neighborSampleRatio = 1")));
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        awaitTracer();
        // when: the kernel learns three neighbors
        Set<String> added = Set.of("Ethernet0:10.77.1.1", "Ethernet0:10.77.1.2", "Ethernet0:fc00:77::1");
        ns.batch(List.of(replace("10.77.1.1", "02:00:00:77:01:01"), replace("10.77.1.2", "02:00:00:77:01:02"),
                replace("fc00:77::1", "02:00:00:77:01:03")));
        // then: a neighbor span for each, exactly those, each under its batch span with the batch's sink call
        Wait.until("the neighbors' spans with their batches", SPANS,
                () -> added.stream().allMatch(k -> neighborSpan(k).flatMap(this::parent).isPresent()));
        assertEquals(added, keys(receiver.spans("neighsyncd.neighbor")));
        for (String key : added) {
            ReceivedSpan neighbor = neighborSpan(key).orElseThrow();
            ReceivedSpan batch = parent(neighbor).orElseThrow();
            assertEquals("neighsyncd.batch", batch.name());
            assertEquals("", batch.parentSpanId(), "the batch span is the trace's root");
            assertEquals(neighbor.traceId(), batch.traceId());
            assertEquals("neighsyncd", batch.serviceName());
            assertEquals("neighsyncd", neighbor.serviceName());
            assertEquals("APPL_DB", batch.attribute("neighsyncd.sink"));
            assertEquals("SET", neighbor.attribute("neighsyncd.neighbor.op"));
            Wait.until("the sink call under the batch of " + key, SPANS,
                    () -> receiver.spans("neighsyncd.sink.apply").stream()
                            .anyMatch(s -> s.parentSpanId().equals(batch.spanId()) && s.traceId().equals(batch.traceId())));
        }
        assertEquals(List.of(), receiver.refused());
        // and: the exported spans are counted on /metrics
        Wait.until("the exported spans on /metrics", SPANS, () -> metric("neighsyncd_tracing_spans_exported_total") > 0);
        assertEquals(1.0, metric("neighsyncd_tracing_enabled"));
    }

    @Test
    void anEndpointConfiguredAtRunTimeStartsTracingWithoutRestartingTheEngineAndClearingItRemovesTheTracer()
            throws Exception {
        // given: a daemon with tracing off
        daemon = start(Map.of());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        awaitTracingComponent();
        long engine = daemon.serviceId(SyncEngine.class.getName());
        // when: the operator sets an endpoint in the file
        writeTracingConfig("endpoint = " + receiver.endpoint(), "neighborSampleRatio = 1");
        awaitTracer();
        neigh("10.77.2.1", "02:00:00:77:02:01");
        // then: its spans arrive, the engine was not restarted
        Wait.until("the neighbor's span", SPANS, () -> neighborSpan("Ethernet0:10.77.2.1").isPresent());
        assertEquals(engine, daemon.serviceId(SyncEngine.class.getName()), "the engine was restarted");
        // and when the endpoint is cleared again, the tracer goes, the engine stays
        writeTracingConfig("endpoint =");
        Wait.until("the tracer unregistered", Duration.ofSeconds(15),
                () -> daemon.context().getServiceReference(BatchTracer.class) == null);
        assertEquals(engine, daemon.serviceId(SyncEngine.class.getName()), "the engine was restarted");
    }

    @Test
    void anInvalidValueIsReportedAsARejectionAndSpansKeepArrivingWithTheLastGoodConfiguration() throws Exception {
        // given: tracing with a span per neighbor
        daemon = start(Map.of(PID, List.of("endpoint = " + receiver.endpoint(), "neighborSampleRatio = 1")));
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        awaitTracer();
        // when: a sample ratio out of range replaces it
        writeTracingConfig("endpoint = " + receiver.endpoint(), "neighborSampleRatio = 2");
        // then: the health names the rejection, the daemon stays ready
        Wait.until("the rejection in the health", Duration.ofSeconds(15), () -> daemon.problems().stream()
                .anyMatch(p -> p.startsWith(PID + ": configuration rejected") && p.contains("neighborSampleRatio=2.0")));
        assertTrue(daemon.status(s -> s.health().degraded(), false), "the rejection degrades the daemon");
        assertTrue(daemon.status(s -> s.health().ready(), false), "and it stays ready");
        // and a neighbor added now is still traced, with its own span: the last good ratio (1) is in force
        neigh("10.77.3.1", "02:00:00:77:03:01");
        Wait.until("the neighbor's span", SPANS, () -> neighborSpan("Ethernet0:10.77.3.1").isPresent());
    }

    private Daemon start(Map<String, List<String>> settings) throws Exception {
        return Daemon.start(settings, "--redis-url", redis.unixUrl(0), "--netns", ns.name());
    }

    /** Waits until the tracing component runs (it starts after the sync, at start level 4). */
    private void awaitTracingComponent() throws Exception {
        Wait.until("the tracing component", Duration.ofSeconds(15), () -> {
            ServiceReference<?>[] refs = daemon.context().getServiceReferences(HealthContributor.class.getName(), null);
            return refs != null && Arrays.stream(refs)
                    .anyMatch(r -> "net.neighsyncd.tracing".equals(r.getBundle().getSymbolicName()));
        });
    }

    private void awaitTracer() throws Exception {
        Wait.until("the tracer registered", Duration.ofSeconds(15),
                () -> daemon.context().getServiceReference(BatchTracer.class) != null);
    }

    private void writeTracingConfig(String... lines) throws Exception {
        Files.write(daemon.configDir().resolve(PID + ".cfg"), List.of(lines), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    private Optional<ReceivedSpan> neighborSpan(String key) {
        return receiver.spans("neighsyncd.neighbor").stream().filter(s -> key.equals(s.attribute("neighsyncd.neighbor.key")))
                .findFirst();
    }

    /** The received span {@code child}'s parent is, when it has arrived. */
    private Optional<ReceivedSpan> parent(ReceivedSpan child) {
        return receiver.spans().stream()
                .filter(s -> s.spanId().equals(child.parentSpanId()) && s.traceId().equals(child.traceId())).findFirst();
    }

    private static Set<String> keys(List<ReceivedSpan> spans) {
        return spans.stream().map(s -> s.attribute("neighsyncd.neighbor.key")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The value of an unlabelled series on the daemon's /metrics; -1 while it is not there (yet). */
    private double metric(String series) throws Exception {
        HttpResponse<String> r;
        try {
            r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.httpPort() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return -1;
        }
        return r.body().lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(series.length() + 1))).findFirst().orElse(-1);
    }

    private void neigh(String ip, String mac) {
        ns.exec("neigh", "replace", ip, "lladdr", mac, "dev", "Ethernet0", "nud", "permanent");
    }

    private static String replace(String ip, String mac) {
        return "neigh replace " + ip + " lladdr " + mac + " dev Ethernet0 nud permanent";
    }
}
