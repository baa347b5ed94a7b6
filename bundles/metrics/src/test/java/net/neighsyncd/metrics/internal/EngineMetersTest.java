package net.neighsyncd.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.LatencyHistogram;
import net.neighsyncd.api.engine.Phase;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.engine.WriteTuning;
import net.neighsyncd.api.engine.WriterStats;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.testsupport.SyncStatusBuilder;
import org.junit.jupiter.api.Test;

class EngineMetersTest {

    @Test
    void scrapesEngineCountersByPrometheusNames() {
        SyncStatus s = SyncStatusBuilder.inSync().entries(5, 3).pendingWrites(1).messages(9)
                .dropped(DropReason.IPV6_LINK_LOCAL, 2).written(3, 0).overflows(1).queueDepth(4).build();
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
        List<Long> bounds = List.of(1L, 2L, 5L, 10L, 20L, 50L, 100L, 200L, 500L, 1000L, 2000L, 5000L);
        List<Long> cumulative = bounds.stream().map(ms -> ms >= 2000 ? 2L : ms >= 5 ? 1L : 0L).toList();
        WriterStats appDb = new WriterStats(0, 0, 0, 0, 4, 10, 2_000_000,
                new LatencyHistogram(bounds, cumulative, 2, 1_503_000));
        SyncStatus s = SyncStatusBuilder.inSync().entries(5, 3).appDb(appDb).family(Family.IPV4, 3)
                .family(Family.IPV6, 2).build();
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StatusMemo memo = new StatusMemo(() -> s, 0, System::nanoTime);
        EngineMeters.register(r, memo);
        LatencyCollector latency = new LatencyCollector();
        latency.add("", memo);
        r.getPrometheusRegistry().register(latency);
        // when
        String text = r.scrape(MetricsServlet.TEXT_004);
        // then
        assertTrue(text.contains("# TYPE neighsyncd_sync_latency_seconds histogram"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_bucket{namespace=\"\",le=\"0.002\"} 0"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_bucket{namespace=\"\",le=\"0.005\"} 1"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_bucket{namespace=\"\",le=\"1.0\"} 1"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_bucket{namespace=\"\",le=\"2.0\"} 2"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_bucket{namespace=\"\",le=\"+Inf\"} 2"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_count{namespace=\"\"} 2"), text);
        assertTrue(text.contains("neighsyncd_sync_latency_seconds_sum{namespace=\"\"} 1.503"), text);
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
    void givenTheAutoTunersDecisionsInTheStatusWhenScrapedThenTheyAreTypedMeters() {
        // given: a limit of 384, a 0.75 ms linger, 5 raises and 2 cuts of the limit
        LatencyHistogram none = new LatencyHistogram(List.of(1L), List.of(0L), 0, 0);
        WriterStats appDb = new WriterStats(0, 0, 0, 0, 0, 0, 0, none, new WriteTuning(true, 384, 750, 5, 2));
        SyncStatus s = SyncStatusBuilder.inSync().appDb(appDb).build();
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EngineMeters.register(r, new StatusMemo(() -> s, 0, System::nanoTime));
        // when
        String text = r.scrape(MetricsServlet.TEXT_004);
        // then
        assertTrue(text.contains("neighsyncd_autotune_batch_size 384.0"), text);
        assertTrue(text.contains("neighsyncd_autotune_linger_seconds 7.5E-4"), text);
        assertTrue(text.contains("neighsyncd_autotune_adjustments_total{direction=\"up\"} 5.0"), text);
        assertTrue(text.contains("neighsyncd_autotune_adjustments_total{direction=\"down\"} 2.0"), text);
        assertTrue(text.contains("neighsyncd_autotune_enabled 1.0"), text);
    }

    @Test
    void oneStatusCallPerMemoPeriod() {
        AtomicInteger calls = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        StatusMemo memo = new StatusMemo(() -> {
            calls.incrementAndGet();
            return SyncStatusBuilder.inSync().phase(Phase.SYNCING).build();
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
    void readyIsUpWithNoProblem() {
        SyncStatus ok = SyncStatusBuilder.inSync().build();
        assertEquals(200, HealthServlet.ready(ok).status());
        assertEquals("{\"status\":\"UP\",\"initialSyncDone\":true,\"degraded\":false,\"problems\":[]}",
                HealthServlet.ready(ok).json());
    }

    @Test
    void readyIsDownWhileAProblemStopsTheSync() {
        SyncStatus down = SyncStatusBuilder.inSync()
                .problem(Problem.notReady("net.neighsyncd.core", "APPL_DB writes failing")).build();
        assertEquals(503, HealthServlet.ready(down).status());
        assertEquals("{\"status\":\"DOWN\",\"initialSyncDone\":true,\"degraded\":false,"
                + "\"problems\":[\"net.neighsyncd.core: APPL_DB writes failing\"]}", HealthServlet.ready(down).json());
        assertEquals(200, HealthServlet.live(down).status());
    }

    @Test
    void readyStaysUpAndSaysDegradedWhileARejectedConfigurationKeepsTheLastGoodOne() {
        SyncStatus degraded = SyncStatusBuilder.inSync()
                .problem(Problem.degraded("net.neighsyncd.redis", "configuration rejected: batchSize=0")).build();
        assertEquals(200, HealthServlet.ready(degraded).status());
        assertEquals("{\"status\":\"UP\",\"initialSyncDone\":true,\"degraded\":true,"
                + "\"problems\":[\"net.neighsyncd.redis: configuration rejected: batchSize=0\"]}",
                HealthServlet.ready(degraded).json());
    }

    @Test
    void liveIsDownOnceTheEngineFailed() {
        SyncStatus failed = SyncStatusBuilder.inSync().failed("warm restart failed: \"x\"").build();
        assertEquals(503, HealthServlet.live(failed).status());
        assertEquals("{\"status\":\"DOWN\",\"problems\":[\"warm restart failed: \\\"x\\\"\"]}",
                HealthServlet.live(failed).json());
        assertEquals(503, HealthServlet.ready(failed).status());
    }

    @Test
    void bothAreDownWithoutAnEngine() {
        assertEquals(503, HealthServlet.live(null).status());
        assertEquals(503, HealthServlet.ready(null).status());
    }

    @Test
    void exportsDegradedAndReadyGauges() {
        SyncStatus degraded = SyncStatusBuilder.inSync()
                .problem(Problem.degraded("net.neighsyncd.core", "netlink overflow: resync not yet complete")).build();
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EngineMeters.register(r, new StatusMemo(() -> degraded, 0, System::nanoTime));
        String text = r.scrape(MetricsServlet.TEXT_004);
        assertTrue(text.contains("neighsyncd_degraded 1.0"), text);
        assertTrue(text.contains("neighsyncd_ready 1.0"), text);
        assertTrue(text.contains("neighsyncd_healthy 0.0"), text);
    }
}
