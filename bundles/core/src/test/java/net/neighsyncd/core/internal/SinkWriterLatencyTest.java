package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** End-to-end latency, batch and apply-time bookkeeping of the writer and the counters. */
class SinkWriterLatencyTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final WriterTally counters = new WriterTally();
    private final SinkWriter writer = new SinkWriter("test", new SinkWriter.WriterSettings(1000, 1, 5, 50), counters,
            c -> { });

    private static NeighborChange set(String ip, String mac) {
        return NeighborChange.set(new NeighborRecord(new NeighborKey("Ethernet0", IpAddress.parse(ip)),
                MacAddress.parse(mac)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        writer.stop();
    }

    @Test
    void latencyFillsCumulativeBucketsSumAndCount() {
        // when: one 3 ms sample and one of 1.5 s
        counters.latency(TimeUnit.MILLISECONDS.toNanos(3));
        counters.latency(TimeUnit.MILLISECONDS.toNanos(1500));
        // then
        assertEquals(0, counters.snapshot().latency().cumulative().get(0));
        assertEquals(0, counters.snapshot().latency().cumulative().get(1));
        assertEquals(1, counters.snapshot().latency().cumulative().get(2));
        assertEquals(1, counters.snapshot().latency().cumulative().get(9));
        assertEquals(2, counters.snapshot().latency().cumulative().get(10));
        assertEquals(2, counters.snapshot().latency().cumulative().get(11));
        assertEquals(1_503_000, counters.snapshot().latency().sumMicros());
        assertEquals(2, counters.snapshot().latency().count());
    }

    @Test
    void coalescedKeyCountsFromItsOldestMessage() throws Exception {
        // given: no sink; a key changes twice, first 3 s ago, then now
        writer.start();
        long now = System.nanoTime();
        writer.offer(set("10.0.0.1", "00:00:00:00:00:01"), now - 3 * SECOND);
        writer.offer(set("10.0.0.1", "00:00:00:00:00:02"), now);
        writer.offer(set("10.0.0.2", "00:00:00:00:00:03"), 0);
        // when
        writer.sink(new RecordingSink());
        assertTrue(writer.flush(5, TimeUnit.SECONDS));
        // then: one sample (the change no kernel message caused has none), at least 3 s
        assertEquals(1, counters.snapshot().latency().count());
        assertEquals(0, counters.snapshot().latency().cumulative().get(10));
        assertEquals(1, counters.snapshot().latency().cumulative().get(11));
        assertTrue(counters.snapshot().latency().sumMicros() >= 3_000_000);
        assertEquals(1, counters.snapshot().batches());
        assertEquals(2, counters.snapshot().batchChanges());
    }

    @Test
    void failedBatchKeepsItsReadTimeUnderANewerChange() throws Exception {
        // given: the first write of a key (read 3 s ago) is in flight and will fail
        RecordingSink sink = new RecordingSink();
        sink.failuresLeft.set(1);
        sink.gate = new CountDownLatch(1);
        writer.sink(sink);
        writer.start();
        long now = System.nanoTime();
        writer.offer(set("10.0.0.1", "00:00:00:00:00:01"), now - 3 * SECOND);
        assertTrue(sink.entered.tryAcquire(5, TimeUnit.SECONDS), "the first write never started");
        // when: a newer change of the key arrives, then the write fails and is retried
        writer.offer(set("10.0.0.1", "00:00:00:00:00:02"), now);
        sink.gate.countDown();
        assertTrue(writer.flush(5, TimeUnit.SECONDS));
        // then: one sample, counted from the older message; only the successful batch counts
        assertEquals(1, counters.snapshot().latency().count());
        assertEquals(0, counters.snapshot().latency().cumulative().get(10));
        assertTrue(counters.snapshot().latency().sumMicros() >= 3_000_000);
        assertEquals(1, counters.snapshot().batches());
        assertEquals(1, counters.snapshot().errors());
        // and the retry wrote the newer change, not the failed one
        assertEquals(List.of(set("10.0.0.1", "00:00:00:00:00:02")), sink.all());
    }

    @Test
    void applyTimeIsSummedOverTheBatchesWritten() throws Exception {
        // given: a sink whose call is held until the test has waited at least 20 ms of real time
        RecordingSink sink = new RecordingSink();
        sink.gate = new CountDownLatch(1);
        writer.sink(sink);
        writer.start();
        writer.offer(set("10.0.0.1", "00:00:00:00:00:01"), 0);
        assertTrue(sink.entered.tryAcquire(5, TimeUnit.SECONDS), "the write never started");
        long heldFrom = System.nanoTime();
        while (System.nanoTime() - heldFrom < TimeUnit.MILLISECONDS.toNanos(20)) {
            Thread.onSpinWait();
        }
        // when
        sink.gate.countDown();
        assertTrue(writer.flush(5, TimeUnit.SECONDS));
        // then: the apply time covers the held call (a lower bound, whatever the machine's speed)
        assertTrue(counters.snapshot().applyMicros() >= 20_000, "apply sum " + counters.snapshot().applyMicros());
        assertEquals(1, counters.snapshot().batches());
    }

    @Test
    void oldestIgnoresMissingReadTimes() {
        assertEquals(5, SinkWriter.oldest(0, 5));
        assertEquals(5, SinkWriter.oldest(5, 0));
        assertEquals(-10, SinkWriter.oldest(-10, 5));
        assertEquals(0, SinkWriter.oldest(0, 0));
    }
}
