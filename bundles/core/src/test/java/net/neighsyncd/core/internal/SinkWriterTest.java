package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
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

/**
 * The writer's coalescing, retry and tracing, with an in-memory sink that records what it is given.
 */
class SinkWriterTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final WriterTally counters = new WriterTally();
    private final SinkWriter writer = new SinkWriter("test", new SinkWriter.WriterSettings(1000, 1, 5, 50), counters,
            c -> { });
    /** The batches a tracer was told of, in the tests that bind one. */
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
    void coalescesABurstOnOneKeyToItsLatestValue() throws Exception {
        // given: no sink yet, so changes wait
        writer.start();
        for (int i = 0; i < 100; i++) {
            writer.offer(set("10.0.0.1", String.format("00:00:00:00:00:%02x", i)));
        }
        writer.offer(set("10.0.0.2", "00:00:00:00:01:01"));
        RecordingSink sink = new RecordingSink();
        // when
        writer.sink(sink);
        assertTrue(writer.flush(5, TimeUnit.SECONDS));
        // then
        assertEquals(List.of(set("10.0.0.1", "00:00:00:00:00:63"), set("10.0.0.2", "00:00:00:00:01:01")), sink.all());
    }

    @Test
    void retriesAFailedBatchWithoutLosingOrReorderingAKey() throws Exception {
        // given: the sink fails three times
        RecordingSink sink = new RecordingSink();
        sink.failuresLeft.set(3);
        writer.sink(sink);
        writer.start();
        // when
        writer.offer(set("10.0.0.1", "00:00:00:00:00:01"));
        writer.offer(NeighborChange.delete(new NeighborKey("Ethernet0", IpAddress.parse("10.0.0.3"))));
        assertTrue(writer.flush(5, TimeUnit.SECONDS));
        // then
        assertEquals(2, sink.all().size());
        assertEquals(3, counters.snapshot().errors());
        assertEquals(1, counters.snapshot().writtenSet());
        assertEquals(1, counters.snapshot().writtenDelete());
    }

    @Test
    void newerChangeWinsOverAFailedOlderOne() throws Exception {
        // given: the sink holds the first batch, then fails it
        RecordingSink sink = new RecordingSink();
        sink.failuresLeft.set(1);
        sink.gate = new CountDownLatch(1);
        writer.sink(sink);
        writer.start();
        writer.offer(set("10.0.0.1", "00:00:00:00:00:01"));
        // when: a newer value arrives while the old one is in flight and about to fail
        waitUntil(() -> writer.pending() == 1);
        writer.offer(set("10.0.0.1", "00:00:00:00:00:02"));
        sink.gate.countDown();
        assertTrue(writer.flush(5, TimeUnit.SECONDS));
        // then: only the newer value reached the sink
        assertEquals(List.of(set("10.0.0.1", "00:00:00:00:00:02")), sink.all());
    }

    @Test
    void runsIdleActionOnlyAfterPendingChangesAreApplied() throws Exception {
        // given
        RecordingSink sink = new RecordingSink();
        sink.gate = new CountDownLatch(1);
        writer.sink(sink);
        writer.start();
        writer.offer(set("10.0.0.1", "00:00:00:00:00:01"));
        CountDownLatch idle = new CountDownLatch(1);
        // when
        writer.whenIdle(idle::countDown);
        // then
        assertEquals(1, idle.getCount());
        sink.gate.countDown();
        assertTrue(idle.await(5, TimeUnit.SECONDS));
        assertEquals(1, sink.all().size());
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

    private static void waitUntil(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!c.getAsBoolean() && System.nanoTime() < end) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }

    /**
     * An in-memory store that can be told it lost its state — a fault a test cannot make a
     * real store produce on cue at this level; the real one is tested in redis-sink and itests.
     */
    private static class FaultInjectingStore implements net.neighsyncd.api.engine.ReconcilableSink {
        final java.util.Map<NeighborKey, NeighborRecord> data = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean doubt = true;

        @Override
        public void apply(List<NeighborChange> changes) {
            for (NeighborChange c : changes) {
                if (c.op() == NeighborChange.Op.SET) {
                    data.put(c.key(), c.record());
                } else {
                    data.remove(c.key());
                }
            }
        }

        @Override
        public boolean stateInDoubt() {
            return doubt;
        }

        @Override
        public java.util.Map<NeighborKey, NeighborRecord> readState() {
            doubt = false;
            return java.util.Map.copyOf(data);
        }
    }

    @Test
    void readsTheStoreBackWithPendingChangesOnTopWhenItIsInDoubt() throws Exception {
        // given: a store that holds 10.0.0.1, and a change for 10.0.0.2 waiting
        FaultInjectingStore store = new FaultInjectingStore();
        store.data.put(set("10.0.0.1", "00:00:00:00:00:01").key(), set("10.0.0.1", "00:00:00:00:00:01").record());
        java.util.concurrent.BlockingQueue<java.util.Map<NeighborKey, NeighborRecord>> reads =
                new java.util.concurrent.LinkedBlockingQueue<>();
        SinkWriter w = new SinkWriter("audit", new SinkWriter.WriterSettings(1000, 1, 5, 20), counters, c -> { },
                r -> {
                    reads.add(r.withWaitingChanges());
                    r.loaded();
                });
        w.offer(set("10.0.0.2", "00:00:00:00:00:02"));
        // when
        w.sink(store);
        w.start();
        try {
            // then: the first read-back includes the waiting change
            java.util.Map<NeighborKey, NeighborRecord> first = reads.poll(5, TimeUnit.SECONDS);
            assertEquals(java.util.Set.of("10.0.0.1", "10.0.0.2"),
                    first.keySet().stream().map(k -> k.ip().toString()).collect(java.util.stream.Collectors.toSet()));
            assertTrue(w.flush(5, TimeUnit.SECONDS));
            // and when the store loses everything, the next audit reads it back again
            store.data.clear();
            store.doubt = true;
            java.util.Map<NeighborKey, NeighborRecord> second = reads.poll(5, TimeUnit.SECONDS);
            assertEquals(java.util.Map.of(), second);
            assertEquals(2, counters.snapshot().stateReads());
        } finally {
            w.stop();
        }
    }

    @Test
    void isNotIdleUntilAStoreThatCanBeReadBackHasAnsweredWhetherItIsInDoubt() throws Exception {
        // given: a store that is asked at the start, and holds the answer until the test lets go
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        FaultInjectingStore store = new FaultInjectingStore() {
            @Override
            public boolean stateInDoubt() {
                asked.countDown();
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
        };
        SinkWriter w = new SinkWriter("audit", new SinkWriter.WriterSettings(1000, 1, 5, 60_000), counters, c -> { });
        w.sink(store);
        java.util.concurrent.CountDownLatch idle = new java.util.concurrent.CountDownLatch(1);
        // when: nothing waits, but the store has not been asked yet
        w.whenIdle(idle::countDown);
        w.start();
        try {
            assertTrue(asked.await(5, TimeUnit.SECONDS));
            // then: not idle while the question is open (the marker: the answer is still held)
            assertEquals(1, idle.getCount(), "idle before the store answered");
            // and idle once it answered that it is what was applied
            answer.countDown();
            assertTrue(idle.await(5, TimeUnit.SECONDS));
        } finally {
            answer.countDown();
            w.stop();
        }
    }

    @Test
    void dropsWaitingChangesTheStoreAlreadyHolds() throws Exception {
        // given: the store holds 10.0.0.1 as the waiting change would write it, and no 10.0.0.3
        FaultInjectingStore store = new FaultInjectingStore();
        NeighborChange same = set("10.0.0.1", "00:00:00:00:00:01");
        store.data.put(same.key(), same.record());
        List<NeighborChange> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        SinkWriter w = new SinkWriter("audit", new SinkWriter.WriterSettings(1000, 1, 5, 60_000), counters,
                written::addAll, r -> {
                    r.withWaitingChanges();
                    r.loaded();
                });
        w.offer(same);
        w.offer(NeighborChange.delete(new NeighborKey("Ethernet0", IpAddress.parse("10.0.0.3"))));
        w.offer(set("10.0.0.2", "00:00:00:00:00:02"));
        // when
        w.sink(store);
        w.start();
        try {
            assertTrue(w.flush(5, TimeUnit.SECONDS));
            // then: only the change the store did not reflect was written (listeners hear it just after)
            waitUntil(() -> !written.isEmpty());
            assertEquals(List.of(set("10.0.0.2", "00:00:00:00:00:02")), List.copyOf(written));
            assertEquals(java.util.Set.of("10.0.0.1", "10.0.0.2"),
                    store.data.keySet().stream().map(k -> k.ip().toString()).collect(java.util.stream.Collectors.toSet()));
        } finally {
            w.stop();
        }
    }

    @Test
    void writesNothingWhileAReadBackIsBeingLoadedSoALaterChangeIsNeitherLostNorWrittenTwice() throws Exception {
        // given: a store in doubt holding 10.0.0.1, and a receiver that takes read-backs later
        FaultInjectingStore store = new FaultInjectingStore();
        store.data.put(set("10.0.0.1", "00:00:00:00:00:01").key(), set("10.0.0.1", "00:00:00:00:00:01").record());
        java.util.concurrent.BlockingQueue<SinkWriter.StateRead> reads = new java.util.concurrent.LinkedBlockingQueue<>();
        List<NeighborChange> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        SinkWriter w = new SinkWriter("audit", new SinkWriter.WriterSettings(1000, 1, 5, 60_000), counters,
                written::addAll, reads::add);
        w.sink(store);
        w.start();
        try {
            SinkWriter.StateRead read = reads.poll(5, TimeUnit.SECONDS);
            // when: the engine produces a change after the store was read, before it takes the read-back
            NeighborChange late = set("10.0.0.9", "00:00:00:00:00:09");
            w.offer(late);
            java.util.Map<NeighborKey, NeighborRecord> state = read.withWaitingChanges();
            read.loaded();
            // then: the view it gets has the late change (still waiting, not written behind its back)
            assertEquals(java.util.Set.of("10.0.0.1", "10.0.0.9"),
                    state.keySet().stream().map(k -> k.ip().toString()).collect(java.util.stream.Collectors.toSet()));
            // and it is written once, after the load
            assertTrue(w.flush(5, TimeUnit.SECONDS));
            waitUntil(() -> !written.isEmpty());
            assertEquals(List.of(late), List.copyOf(written));
        } finally {
            w.stop();
        }
    }

    @Test
    void aTakeoversReadBackDropsWhatWaitsFromAnEarlierTenureAndAsksNothingOfTheSink() throws Exception {
        // given: a held writer (a standby) with a stale change waiting, a store that is not in doubt
        // and holds another MAC for that key
        FaultInjectingStore store = new FaultInjectingStore();
        store.doubt = false;
        NeighborChange stored = set("10.0.0.1", "00:00:00:00:00:02");
        store.data.put(stored.key(), stored.record());
        java.util.concurrent.BlockingQueue<java.util.Map<NeighborKey, NeighborRecord>> reads =
                new java.util.concurrent.LinkedBlockingQueue<>();
        SinkWriter w = new SinkWriter("takeover", new SinkWriter.WriterSettings(1000, 1, 5, 60_000), counters,
                c -> { }, r -> {
                    reads.add(r.withWaitingChanges());
                    r.loaded();
                });
        w.hold();
        w.offer(set("10.0.0.1", "00:00:00:00:00:01"));
        w.sink(store);
        w.start();
        try {
            // when: it takes over
            w.readBackNext();
            w.release();
            // then: the store is read although it is not in doubt, as it is, without the stale change
            assertEquals(java.util.Map.of(stored.key(), stored.record()), reads.poll(5, TimeUnit.SECONDS));
            assertTrue(w.flush(5, TimeUnit.SECONDS));
            assertEquals(stored.record(), store.data.get(stored.key()), "the stale change must not be written");
            assertEquals(0, w.pending());
        } finally {
            w.stop();
        }
    }
}
