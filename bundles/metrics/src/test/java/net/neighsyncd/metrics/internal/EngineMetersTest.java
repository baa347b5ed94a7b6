package net.neighsyncd.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.neighsyncd.api.engine.SyncStatus;
import org.junit.jupiter.api.Test;

class EngineMetersTest {

    @Test
    void scrapesEngineCountersByPrometheusNames() {
        SyncStatus s = new SyncStatus(true, 5, 3, 1, Map.of("messages", 9L, "dropped.ipv6_link_local", 2L,
                "written.set", 3L, "netlink.overflows", 1L, "engine.queue.depth", 4L), Set.of());
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StatusMemo memo = new StatusMemo(() -> s, 0, System::nanoTime);
        EngineMeters.register(r, memo);
        String text = r.scrape(MetricsServlet.TEXT_004);
        assertTrue(text.contains("neighsyncd_messages_total 9.0"), text);
        assertTrue(text.contains("neighsyncd_messages_dropped_total{reason=\"ipv6_link_local\"} 2.0"), text);
        assertTrue(text.contains("neighsyncd_messages_dropped_total{reason=\"mac_broadcast\"} 0.0"), text);
        assertTrue(text.contains("neighsyncd_appldb_writes_total{op=\"set\"} 3.0"), text);
        assertTrue(text.contains("neighsyncd_appldb_writes_total{op=\"delete\"} 0.0"), text);
        assertTrue(text.contains("neighsyncd_netlink_overflows_total 1.0"), text);
        assertTrue(text.contains("neighsyncd_engine_queue_depth 4.0"), text);
        assertTrue(text.contains("neighsyncd_neighbors_kernel 5.0"), text);
        assertTrue(text.contains("neighsyncd_initial_sync_done 1.0"), text);
        assertTrue(text.contains("neighsyncd_healthy 1.0"), text);
    }

    @Test
    void exportsLatencyHistogramBatchesWriteTimeAndFamilies() {
        // given: two latency samples, 3 ms and 1.5 s (cumulative buckets as the core keeps them)
        Map<String, Long> c = new java.util.HashMap<>();
        for (long ms : LatencyCollector.BOUNDS_MS) {
            c.put("latency.e2e.le." + ms, ms >= 2000 ? 2L : ms >= 5 ? 1L : 0L);
        }
        c.put("latency.e2e.sum_us", 1_503_000L);
        c.put("latency.e2e.count", 2L);
        c.put("sink.batches", 4L);
        c.put("sink.batch.changes", 10L);
        c.put("sink.apply.sum_us", 2_000_000L);
        c.put("neighbors.kernel.ipv4", 3L);
        c.put("neighbors.kernel.ipv6", 2L);
        SyncStatus s = new SyncStatus(true, 5, 3, 0, c, Set.of());
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StatusMemo memo = new StatusMemo(() -> s, 0, System::nanoTime);
        EngineMeters.register(r, memo);
        LatencyCollector latency = new LatencyCollector(memo);
        r.getPrometheusRegistry().register(latency);
        // when
        String text = r.scrape(MetricsServlet.TEXT_004);
        // then
        assertTrue(text.contains("# TYPE neighsyncd_sync_latency_seconds histogram"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_bucket{le=\"0.002\"} 0"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_bucket{le=\"0.005\"} 1"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_bucket{le=\"1.0\"} 1"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_bucket{le=\"2.0\"} 2"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_bucket{le=\"+Inf\"} 2"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_count 2"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_sum 1.503"), text);
        assertTrue(text.contains("neighsyncd_appldb_batches_total 4.0"), text);
        assertTrue(text.contains("neighsyncd_appldb_batch_changes_total 10.0"), text);
        assertTrue(text.contains("neighsyncd_appldb_write_seconds_count 4"), text);
        assertTrue(text.contains("neighsyncd_appldb_write_seconds_sum 2.0"), text);
        assertTrue(text.contains("neighsyncd_neighbors_kernel_by_family{family=\"ipv4\"} 3.0"), text);
        assertTrue(text.contains("neighsyncd_neighbors_kernel_by_family{family=\"ipv6\"} 2.0"), text);
        // and: OpenMetrics scrapes too, and the collector goes away
        assertTrue(r.scrape(MetricsServlet.OPENMETRICS).contains("neighsyncd_sync_latency_seconds_bucket"));
        r.getPrometheusRegistry().unregister(latency);
        assertTrue(!r.scrape(MetricsServlet.TEXT_004).contains("neighsyncd_sync_latency_seconds"));
    }

    @Test
    void oneStatusCallPerMemoPeriod() {
        AtomicInteger calls = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        StatusMemo memo = new StatusMemo(() -> {
            calls.incrementAndGet();
            return new SyncStatus(false, 0, 0, 0, Map.of(), Set.of());
        }, 500, now::get);
        memo.get();
        memo.get();
        now.set(499);
        memo.get();
        assertEquals(1, calls.get());
        now.set(500);
        memo.get();
        assertEquals(2, calls.get());
    }

    @Test
    void healthAnswers() {
        SyncStatus ok = new SyncStatus(true, 0, 0, 0, Map.of(), Set.of());
        SyncStatus down = new SyncStatus(true, 0, 0, 0, Map.of(), Set.of("APPL_DB writes failing"));
        SyncStatus warm = new SyncStatus(false, 0, 0, 0, Map.of(), Set.of("warm restart failed: \"x\""));
        assertEquals(200, HealthServlet.ready(ok).status());
        assertEquals("{\"status\":\"UP\",\"initialSyncDone\":true,\"problems\":[]}", HealthServlet.ready(ok).json());
        assertEquals(503, HealthServlet.ready(down).status());
        assertEquals("{\"status\":\"DOWN\",\"initialSyncDone\":true,\"problems\":[\"APPL_DB writes failing\"]}",
                HealthServlet.ready(down).json());
        assertEquals(200, HealthServlet.live(down).status());
        assertEquals(503, HealthServlet.live(warm).status());
        assertEquals("{\"status\":\"DOWN\",\"problems\":[\"warm restart failed: \\\"x\\\"\"]}",
                HealthServlet.live(warm).json());
        assertEquals(503, HealthServlet.live(null).status());
        assertEquals(503, HealthServlet.ready(null).status());
    }
}
