package net.neighsyncd.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.neighsyncd.api.SyncStatus;
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
