package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.tracing.TracedChange;
import net.neighsyncd.api.tracing.WrittenBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer telling a bound tracer of every batch, and going on whatever the tracer does. */
class SinkWriterTracingTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final WriterTally counters = new WriterTally();
    private final SinkWriter writer = new SinkWriter("test", new SinkWriter.WriterSettings(1000, 1, 5, 50), counters,
            c -> { });
    private final BlockingQueue<WrittenBatch> traced = new LinkedBlockingQueue<>();

    private static NeighborChange set(String ip, String mac) {
        return NeighborChange.set(new NeighborRecord(new NeighborKey("Ethernet0", IpAddress.parse(ip)),
                MacAddress.parse(mac)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        writer.stop();
    }

    @Test
    void theTracerGetsEachBatchWithTheReadTimesOfItsChangesAndTheTimesOfTheCall() throws Exception {
        // given: a change read from the kernel 3 s ago and one no kernel message caused, waiting
        writer.tracer(traced::add);
        writer.start();
        long read = System.nanoTime() - 3 * SECOND;
        NeighborChange fromKernel = set("10.0.0.1", "00:00:00:00:00:01");
        NeighborChange fromRules = NeighborChange.delete(new NeighborKey("Ethernet0", IpAddress.parse("10.0.0.2")));
        writer.offer(fromKernel, read);
        writer.offer(fromRules, 0);
        long before = System.nanoTime();
        // when
        writer.sink(new RecordingSink());
        // then: one batch, its changes with their read times, the call's times in order
        WrittenBatch b = traced.poll(5, TimeUnit.SECONDS);
        assertEquals("test", b.sink());
        assertEquals(List.of(new TracedChange(fromKernel, read), new TracedChange(fromRules, 0)), b.changes());
        assertTrue(b.succeeded());
        assertNull(b.failure());
        assertTrue(before <= b.takenNanos() && b.takenNanos() <= b.startedNanos() && b.startedNanos() <= b.endedNanos(),
                b::toString);
        assertTrue(b.endedNanos() <= System.nanoTime());
    }

    @Test
    void aFailedCallIsTracedWithItsFailureAndItsRetryAgain() throws Exception {
        // given: a sink that fails once
        RecordingSink sink = new RecordingSink();
        sink.failuresLeft.set(1);
        writer.tracer(traced::add);
        writer.sink(sink);
        writer.start();
        // when
        writer.offer(set("10.0.0.1", "00:00:00:00:00:01"), System.nanoTime());
        // then: the failed call, then the retry that wrote it
        WrittenBatch failed = traced.poll(5, TimeUnit.SECONDS);
        WrittenBatch retried = traced.poll(5, TimeUnit.SECONDS);
        assertTrue(failed.failure().contains("injected failure"), failed::toString);
        assertTrue(retried.succeeded(), retried::toString);
        assertEquals(failed.changes(), retried.changes());
    }

    @Test
    void aTracerThatThrowsNeitherStopsNorHoldsUpTheWriter() throws Exception {
        // given: a tracer that throws on every batch
        writer.tracer(b -> {
            throw new IllegalStateException("tracer broken");
        });
        RecordingSink sink = new RecordingSink();
        writer.sink(sink);
        writer.start();
        // when: two batches, one after the other
        writer.offer(set("10.0.0.1", "00:00:00:00:00:01"), System.nanoTime());
        assertTrue(writer.flush(5, TimeUnit.SECONDS));
        writer.offer(set("10.0.0.2", "00:00:00:00:00:02"), System.nanoTime());
        assertTrue(writer.flush(5, TimeUnit.SECONDS));
        // then: both written and counted as written, the tracer's failures counted
        assertEquals(List.of(set("10.0.0.1", "00:00:00:00:00:01"), set("10.0.0.2", "00:00:00:00:00:02")), sink.all());
        assertEquals(2, counters.snapshot().batches());
        assertEquals(0, counters.snapshot().errors());
        assertEquals(2, writer.tracerFailures());
    }

    @Test
    void aClearedTracerHearsNoMoreBatches() throws Exception {
        // given: a tracer that heard one batch
        writer.tracer(traced::add);
        RecordingSink sink = new RecordingSink();
        writer.sink(sink);
        writer.start();
        writer.offer(set("10.0.0.1", "00:00:00:00:00:01"), System.nanoTime());
        assertTrue(writer.flush(5, TimeUnit.SECONDS));
        assertEquals(1, traced.size());
        // when: it is cleared, and another batch is written
        writer.tracer(null);
        writer.offer(set("10.0.0.2", "00:00:00:00:00:02"), System.nanoTime());
        assertTrue(writer.flush(5, TimeUnit.SECONDS));
        // then
        assertEquals(2, sink.all().size());
        assertEquals(1, traced.size());
    }
}
