package net.neighsyncd.tracing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.tracing.TracedChange;
import net.neighsyncd.api.tracing.WrittenBatch;
import org.junit.jupiter.api.Test;

/** The spans of a written batch, through a real SDK pipeline into an in-memory exporter. */
class BatchSpansTest {
    /** nanoTime 1,000,000 is epoch second 1,700,000,000 exactly. */
    private static final BatchSpans.Anchor ANCHOR = new BatchSpans.Anchor(1_000_000, 1_700_000_000_000_000_000L);
    private static final long EPOCH = 1_700_000_000_000_000_000L;

    private final CollectingExporter exporter = new CollectingExporter();
    private final ExportCounts counts = new ExportCounts();

    private static TracedChange set(String ip, long read) {
        return new TracedChange(NeighborChange.set(new NeighborRecord(new NeighborKey("Ethernet0", IpAddress.parse(ip)),
                MacAddress.parse("02:00:00:00:00:01"))), read);
    }

    private static TracedChange delete(String ip, long read) {
        return new TracedChange(NeighborChange.delete(new NeighborKey("Ethernet4", IpAddress.parse(ip))), read);
    }

    private TracingPipeline pipeline(Map<String, Object> config) {
        return new TracingPipeline(TracingConfigs.settings(config), exporter, counts, ANCHOR);
    }

    private static void drain(TracingPipeline p) {
        assertTrue(p.shutdown().join(10, TimeUnit.SECONDS).isSuccess(), "the pipeline did not flush");
    }

    @Test
    void aBatchSpansFromItsOldestKernelReadToTheSinksAnswerWithTheCallAsAChild() {
        // given: two kernel changes read 3 ms and 2 ms after the anchor, one the rules made
        TracingPipeline p = pipeline(Map.of());
        // when: taken at +4 ms, the call from +5 to +7 ms
        p.record(new WrittenBatch("APPL_DB", 5_000_000, 6_000_000, 8_000_000,
                List.of(set("10.0.0.1", 4_000_000), set("10.0.0.2", 3_000_000), delete("10.0.0.3", 0)), null));
        drain(p);
        // then
        SpanData batch = exporter.named(BatchSpans.BATCH).get(0);
        assertEquals(EPOCH + 2_000_000, batch.getStartEpochNanos());
        assertEquals(EPOCH + 7_000_000, batch.getEndEpochNanos());
        assertEquals("APPL_DB", batch.getAttributes().get(AttributeKey.stringKey("neighsyncd.sink")));
        assertEquals(3L, batch.getAttributes().get(AttributeKey.longKey("neighsyncd.changes")));
        assertEquals(2L, batch.getAttributes().get(AttributeKey.longKey("neighsyncd.sets")));
        assertEquals(1L, batch.getAttributes().get(AttributeKey.longKey("neighsyncd.deletes")));
        assertEquals(false, batch.getAttributes().get(AttributeKey.booleanKey("neighsyncd.neighbors.sampled")));
        assertEquals(StatusCode.UNSET, batch.getStatus().getStatusCode());
        assertEquals("neighsyncd", batch.getResource().getAttribute(AttributeKey.stringKey("service.name")));
        assertTrue(!batch.getParentSpanContext().isValid(), "the batch span is a root");
        SpanData apply = exporter.named(BatchSpans.APPLY).get(0);
        assertEquals(batch.getSpanId(), apply.getParentSpanId());
        assertEquals(batch.getTraceId(), apply.getTraceId());
        assertEquals(EPOCH + 5_000_000, apply.getStartEpochNanos());
        assertEquals(EPOCH + 7_000_000, apply.getEndEpochNanos());
        // and no neighbor spans: the ratio is 0 by default
        assertEquals(2, exporter.spans.size(), exporter.spans::toString);
        assertEquals(1, counts.batches.sum());
        assertEquals(2, counts.spansExported.sum());
    }

    @Test
    void aBatchOfChangesNoKernelMessageCausedStartsWhenItWasTaken() {
        TracingPipeline p = pipeline(Map.of());
        p.record(new WrittenBatch("APPL_DB", 5_000_000, 6_000_000, 8_000_000, List.of(delete("10.0.0.3", 0)), null));
        drain(p);
        assertEquals(EPOCH + 4_000_000, exporter.named(BatchSpans.BATCH).get(0).getStartEpochNanos());
    }

    @Test
    void aSampledBatchHasASpanPerNeighborWithItsKeyAndOperationUnderTheBatch() {
        // given: every batch sampled
        TracingPipeline p = pipeline(Map.of("neighborSampleRatio", 1.0));
        // when
        p.record(new WrittenBatch("APPL_DB", 5_000_000, 6_000_000, 8_000_000,
                List.of(set("10.0.0.1", 4_000_000), delete("fc00::1", 0)), null));
        drain(p);
        // then: one span per change, from its read (or the batch's start) to the answer
        SpanData batch = exporter.named(BatchSpans.BATCH).get(0);
        List<SpanData> neighbors = exporter.named(BatchSpans.NEIGHBOR);
        assertEquals(2, neighbors.size());
        Map<String, SpanData> byKey = new java.util.TreeMap<>();
        for (SpanData n : neighbors) {
            assertEquals(batch.getSpanId(), n.getParentSpanId());
            assertEquals(batch.getTraceId(), n.getTraceId());
            assertEquals(EPOCH + 7_000_000, n.getEndEpochNanos());
            byKey.put(n.getAttributes().get(AttributeKey.stringKey("neighsyncd.neighbor.key")), n);
        }
        assertEquals(List.of("Ethernet0:10.0.0.1", "Ethernet4:fc00::1"), List.copyOf(byKey.keySet()));
        SpanData set = byKey.get("Ethernet0:10.0.0.1");
        SpanData del = byKey.get("Ethernet4:fc00::1");
        assertEquals("SET", set.getAttributes().get(AttributeKey.stringKey("neighsyncd.neighbor.op")));
        assertEquals("DEL", del.getAttributes().get(AttributeKey.stringKey("neighsyncd.neighbor.op")));
        assertEquals(EPOCH + 3_000_000, set.getStartEpochNanos());
        assertEquals(EPOCH + 3_000_000, del.getStartEpochNanos());
        assertEquals(true, batch.getAttributes().get(AttributeKey.booleanKey("neighsyncd.neighbors.sampled")));
    }

    @Test
    void aFailedCallMarksTheBatchAndTheCallAsErrorsWithTheFailure() {
        TracingPipeline p = pipeline(Map.of());
        p.record(new WrittenBatch("APPL_DB", 5_000_000, 6_000_000, 8_000_000, List.of(set("10.0.0.1", 4_000_000)),
                "net.neighsyncd.api.engine.SinkException: APPL_DB unreachable"));
        drain(p);
        for (String name : List.of(BatchSpans.BATCH, BatchSpans.APPLY)) {
            SpanData s = exporter.named(name).get(0);
            assertEquals(StatusCode.ERROR, s.getStatus().getStatusCode(), name);
            assertEquals("net.neighsyncd.api.engine.SinkException: APPL_DB unreachable", s.getStatus().getDescription());
        }
    }

    @Test
    void spansOfAFailedExportAndSpansDroppedFromAFullQueueAreCounted() throws Exception {
        // given: a queue of 4 spans and an endpoint that holds the first export, then fails it
        exporter.gate = new CountDownLatch(1);
        exporter.fail = true;
        TracingPipeline p = pipeline(Map.of("maxQueueSize", 4, "maxExportBatchSize", 2));
        // when: 10 batches of 2 spans each reach the queue while nothing is exported
        for (int i = 0; i < 10; i++) {
            p.record(new WrittenBatch("APPL_DB", 5_000_000, 6_000_000, 8_000_000, List.of(set("10.0.0.1", 0)), null));
        }
        // then: most were dropped, as the processor's own meter counts
        long dropped = p.droppedSpans();
        assertTrue(dropped >= 20 - 4 - 2, "dropped " + dropped);
        // and when the endpoint answers, with failures: the spans that were sent count as failed
        exporter.gate.countDown();
        drain(p);
        assertEquals(20, dropped + counts.spansFailed.sum(), "dropped " + dropped + ", failed " + counts.spansFailed);
        assertTrue(counts.exportsFailed.sum() >= 1);
        assertEquals(0, counts.spansExported.sum());
    }
}
