package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.engine.WriteTuning;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer with the AutoTuner on, against {@link FakeSlowSink}: the sizes of its calls follow
 * the sink's round trip against the latency target, and the status shows what it decided.
 */
class SinkWriterAutoTuneTest {
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Target 50 ms, no linger: the sizes depend on the round trips alone. */
    private static final SinkWriter.WriterSettings TUNED = new SinkWriter.WriterSettings(10_000, 1, 5, 60_000,
            new SinkWriter.AutoTune(true, 1, 50, 0));
    private final WriterTally tally = new WriterTally();
    private SinkWriter writer;

    private static NeighborChange set(int i) {
        return NeighborChange.set(new NeighborRecord(new NeighborKey("Ethernet0",
                IpAddress.parse("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255))),
                MacAddress.parse("02:00:00:00:00:01")));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (writer != null) {
            writer.stop();
        }
    }

    private void offer(int from, int to) {
        for (int i = from; i < to; i++) {
            writer.offer(set(i));
        }
    }

    @Test
    void givenABacklogThenSingleChangesWhenTheSinkTurnsFiveTimesSlowerThenTheLimitFollowsItsRoundTrip()
            throws Exception {
        // given: 1 ms per change on a fake clock the writer reads too, so about 49 fit in the 50 ms target
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(1);
        FakeSlowSink sink = new FakeSlowSink(0, MS, clock);
        writer = new SinkWriter("tuned", TUNED, tally, c -> { }, SinkWriter.StateRead::loaded, clock::get);
        writer.sink(sink);
        writer.start();
        // when: 1,000 changes at once, then single changes, each once the one before is written
        offer(0, 1_000);
        assertTrue(sink.applied.tryAcquire(1_000, 30, TimeUnit.SECONDS));
        int biggest = sink.sizes().stream().mapToInt(Integer::intValue).max().orElseThrow();
        // (single changes go on until the limit settles, at most 200)
        int next = settle(sink, 1_000, 40, 55);
        int fastLimit = tally.snapshot().tuning().batchLimit();
        // and then the sink takes 5 ms per change (9 fit in 50 ms)
        sink.perChangeNanos = 5 * MS;
        settle(sink, next, 7, 11);
        WriteTuning t = tally.snapshot().tuning();
        // then: the backlog made the calls grow; alone, the limit is what fits the target
        assertTrue(biggest >= 256, "calls " + sink.sizes());
        assertTrue(fastLimit >= 40 && fastLimit <= 55, "limit at 1 ms per change: " + fastLimit);
        assertTrue(t.batchLimit() >= 7 && t.batchLimit() <= 11, "limit at 5 ms per change: " + t);
        assertTrue(t.enabled());
        assertTrue(t.grown() > 0 && t.shrunk() > 0, t.toString());
    }

    /**
     * Offers single changes from {@code from}, each once the one before is written: at least 20,
     * then until the limit is within {@code [low, high]} or 200 were offered; returns the next index.
     */
    private int settle(FakeSlowSink sink, int from, int low, int high) throws InterruptedException {
        int i = from;
        offerOneByOne(sink, i, i + 20);
        i += 20;
        while (i < from + 200) {
            int limit = tally.snapshot().tuning().batchLimit();
            if (limit >= low && limit <= high) {
                break;
            }
            offerOneByOne(sink, i, i + 1);
            i++;
        }
        return i;
    }

    private void offerOneByOne(FakeSlowSink sink, int from, int to) throws InterruptedException {
        for (int i = from; i < to; i++) {
            writer.offer(set(i));
            assertTrue(sink.applied.tryAcquire(1, 30, TimeUnit.SECONDS));
        }
    }

    @Test
    void givenTheAutoTunerOffWhenABacklogDrainsThenEveryCallTakesTheFixedBatch() throws Exception {
        // given
        FakeSlowSink sink = new FakeSlowSink(0, 20 * US);
        writer = new SinkWriter("fixed", new SinkWriter.WriterSettings(700, 1, 5, 60_000), tally, c -> { });
        writer.start();
        offer(0, 2_000);
        // when
        writer.sink(sink);
        assertTrue(sink.applied.tryAcquire(2_000, 30, TimeUnit.SECONDS));
        // then: as before the AutoTuner
        assertEquals(List.of(700, 700, 600), sink.sizes());
        assertEquals(new WriteTuning(false, 700, 0, 0, 0), tally.snapshot().tuning());
    }

    @Test
    void givenTheAutoTunerSwitchedOnWhileRunningWhenChangesComeThenItDecides() throws Exception {
        // given: off
        FakeSlowSink sink = new FakeSlowSink(0, 0);
        writer = new SinkWriter("switched", new SinkWriter.WriterSettings(700, 1, 5, 60_000), tally, c -> { });
        writer.sink(sink);
        writer.start();
        assertEquals(700, tally.snapshot().tuning().batchLimit());
        // when
        writer.settings(TUNED);
        offer(0, 10);
        assertTrue(sink.applied.tryAcquire(10, 30, TimeUnit.SECONDS));
        // then: it started at minBatch, 1, and grew
        assertTrue(tally.snapshot().tuning().enabled());
        assertEquals(1, sink.sizes().get(0));
    }
}
