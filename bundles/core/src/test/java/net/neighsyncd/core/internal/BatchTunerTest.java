package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The AutoTuner's decisions, on a fake clock: a writer simulated step by step (changes arrive at a
 * rate, the tuner decides, the call costs {@code fixed + perChange × n} of fake time), so every
 * figure is exact and nothing sleeps.
 */
class BatchTunerTest {
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** minBatch 1, maxBatch 10000, target 2 ms, linger at most 1 ms: the defaults. */
    private static final BatchTuner.Limits DEFAULTS = new BatchTuner.Limits(1, 10_000, 2 * MS, MS);

    /** A writer and its sink on a fake clock. */
    private static final class SimulatedWriter {
        final AtomicLong clock = new AtomicLong(1_000_000_000L);
        final BatchTuner tuner;
        long fixedNanos;
        long perChangeNanos;
        /** Arrivals per second; 0: only what {@link #queue} holds. */
        double ratePerSecond;
        long queue;
        /** Fake time the oldest waiting change arrived; valid while the queue is not empty. */
        long oldestArrival;
        private double carry;
        BatchTuner.Decision last;
        int lastBatch;
        long latencyNanos;

        SimulatedWriter(BatchTuner.Limits limits, long fixedNanos, long perChangeNanos) {
            this.tuner = new BatchTuner(limits, clock::get);
            this.fixedNanos = fixedNanos;
            this.perChangeNanos = perChangeNanos;
        }

        /** Lets fake time pass, changes arriving meanwhile at the rate. */
        void pass(long nanos) {
            carry += ratePerSecond * nanos / 1e9;
            long arrived = (long) carry;
            carry -= arrived;
            if (arrived > 0 && queue == 0) {
                oldestArrival = clock.get();
            }
            queue += arrived;
            clock.addAndGet(nanos);
        }

        /** One call: waits until a change is there, decides, lingers, writes; returns the batch size. */
        int call() {
            if (queue == 0 && ratePerSecond <= 0) {
                throw new IllegalStateException("nothing waits and nothing comes: the simulation would never call");
            }
            while (queue == 0) {
                pass(10 * US);
            }
            last = tuner.next((int) Math.min(Integer.MAX_VALUE, queue), clock.get() - oldestArrival);
            if (last.lingerNanos() > 0) {
                pass(last.lingerNanos());
            }
            int n = (int) Math.min(queue, last.batchLimit());
            long roundTrip = fixedNanos + perChangeNanos * n;
            long waited = clock.get() - oldestArrival;
            queue -= n;
            if (queue > 0) {
                oldestArrival = clock.get();
            }
            pass(roundTrip);
            latencyNanos = waited + roundTrip;
            tuner.applied(n, roundTrip);
            lastBatch = n;
            return n;
        }

        void calls(int count) {
            for (int i = 0; i < count; i++) {
                call();
            }
        }
    }

    @Test
    void givenOneThousandChangesASecondWhenDecidingThenItNeitherLingersNorWaitsForABatch() {
        // given: 1k/s against a Redis answering in 150 µs plus 5 µs per change
        SimulatedWriter w = new SimulatedWriter(DEFAULTS, 150 * US, 5 * US);
        w.ratePerSecond = 1_000;
        // when
        w.calls(200);
        // then: every call at once, one change each
        assertEquals(0, w.last.lingerNanos());
        assertEquals(1, w.lastBatch);
        assertTrue(w.latencyNanos < 2 * MS, "latency " + w.latencyNanos);
    }

    @Test
    void givenTenThousandChangesASecondWhenDecidingThenItLingersWithinTheTargetAndTheMaximumLinger() {
        // given: 10k/s against the same Redis: one call per change would keep the writer busy
        SimulatedWriter w = new SimulatedWriter(DEFAULTS, 150 * US, 5 * US);
        w.ratePerSecond = 10_000;
        // when
        w.calls(500);
        // then: it waits a little for more, and a change's wait plus its call stays under the target
        assertTrue(w.last.lingerNanos() > 0, "linger " + w.last.lingerNanos());
        assertTrue(w.last.lingerNanos() <= MS, "linger " + w.last.lingerNanos());
        assertTrue(w.lastBatch > 2, "batch " + w.lastBatch);
        assertTrue(w.latencyNanos < 2 * MS, "latency " + w.latencyNanos);
    }

    @Test
    void givenAMaximumLingerOfZeroWhenChangesComeFastThenItNeverLingers() {
        // given
        SimulatedWriter w = new SimulatedWriter(new BatchTuner.Limits(1, 10_000, 2 * MS, 0), 150 * US, 5 * US);
        w.ratePerSecond = 10_000;
        // when
        w.calls(500);
        // then
        assertEquals(0, w.last.lingerNanos());
    }

    @Test
    void givenABacklogWhenDecidingThenTheLimitGoesToTheMaximumBatchAtOnce() {
        // given: 100,000 changes waiting; 200 µs per call plus 5 µs per change, so 360 fit in 2 ms
        SimulatedWriter w = new SimulatedWriter(DEFAULTS, 200 * US, 5 * US);
        w.queue = 100_000;
        w.oldestArrival = w.clock.get();
        // when
        w.calls(3);
        // then: the target is lost for the tail; throughput first, as the fixed setting
        assertEquals(10_000, w.tuner.limit());
        assertEquals(1, w.tuner.grown(), "from the first limit straight to the maximum");
        assertEquals(0, w.tuner.shrunk());
    }

    @Test
    void givenABacklogThatDrainedWhenTheLoadIsLightAgainThenTheLimitShrinksBackToWhatFitsTheTarget() {
        // given: a burst made the limit grow
        SimulatedWriter w = new SimulatedWriter(DEFAULTS, 200 * US, 5 * US);
        w.queue = 100_000;
        w.oldestArrival = w.clock.get();
        int grownTo = 0;
        while (w.queue > 0) {
            w.call();
            grownTo = Math.max(grownTo, w.last.batchLimit());
        }
        // when: 1k/s again
        w.ratePerSecond = 1_000;
        w.calls(50);
        // then: halved back to the 360 that fit in 2 ms (359 when the fit rounds down)
        assertEquals(10_000, grownTo);
        assertTrue(w.tuner.limit() >= 359 && w.tuner.limit() <= 360, "limit " + w.tuner.limit());
        assertTrue(w.tuner.shrunk() > 0);
    }

    @Test
    void givenFullCallsWhenTheRoundTripGrowsPastTheTargetThenTheLimitShrinks() {
        // given: a steady 200k/s filling calls of a few hundred, each well within 2 ms
        SimulatedWriter w = new SimulatedWriter(DEFAULTS, 100 * US, 1 * US);
        w.ratePerSecond = 200_000;
        w.calls(300);
        int before = w.tuner.limit();
        long shrunkBefore = w.tuner.shrunk();
        // when: Redis gets 40 times slower per change: a call of the old size takes far more than 2 ms
        w.perChangeNanos = 40 * US;
        w.ratePerSecond = 20_000;
        w.calls(300);
        // then: the limit falls to what fits 2 ms, (2 ms - 100 µs) / 40 µs = 47
        assertTrue(before > 100, "limit before " + before);
        assertTrue(w.tuner.limit() <= 47, "limit after " + w.tuner.limit());
        assertTrue(w.tuner.shrunk() > shrunkBefore);
        assertTrue(w.latencyNanos < 2 * MS, "latency " + w.latencyNanos);
    }

    @Test
    void givenAStepChangeOfThePerChangeCostWhenChangesKeepComingThenTheLimitFollowsDownAndUpAgain() {
        // given: 200k/s against 100 µs per call and 1 µs per change
        SimulatedWriter w = new SimulatedWriter(DEFAULTS, 100 * US, 1 * US);
        w.ratePerSecond = 200_000;
        w.calls(300);
        int fast = w.tuner.limit();
        // when: 40 µs per change at 20k/s (47 fit in 2 ms), then as fast as before again
        w.perChangeNanos = 40 * US;
        w.ratePerSecond = 20_000;
        w.calls(300);
        int slow = w.tuner.limit();
        w.perChangeNanos = 1 * US;
        w.ratePerSecond = 200_000;
        w.calls(300);
        int again = w.tuner.limit();
        // then
        assertTrue(fast > 100, "fast " + fast);
        assertTrue(slow <= 47, "slow " + slow);
        assertTrue(again > 100, "again " + again);
        assertTrue(w.latencyNanos < 2 * MS, "latency " + w.latencyNanos);
    }

    @Test
    void givenARoundTripLongerThanTheTargetWhateverTheSizeThenItTakesTheMaximumBatch() {
        // given: 5 ms per call before any change: no size meets 2 ms
        SimulatedWriter w = new SimulatedWriter(DEFAULTS, 5 * MS, 1 * US);
        w.queue = 500_000;
        w.oldestArrival = w.clock.get();
        // when
        w.calls(20);
        // then: as with the AutoTuner off
        assertEquals(10_000, w.tuner.limit());
        assertEquals(0, w.last.lingerNanos());
    }

    @Test
    void givenAnyMeasurementsWhenDecidingThenTheLimitAndTheLingerStayWithinTheirBounds() {
        // given: bounds narrower than the defaults, and erratic round trips, rates and queues
        BatchTuner.Limits limits = new BatchTuner.Limits(8, 300, 3 * MS, 500 * US);
        SimulatedWriter w = new SimulatedWriter(limits, 100 * US, 5 * US);
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            w.fixedNanos = random.nextInt(4_000) * US;
            w.perChangeNanos = random.nextInt(60) * US;
            w.ratePerSecond = 1 + random.nextInt(200_000);
            if (random.nextInt(50) == 0) {
                w.queue += random.nextInt(100_000);
            }
            // when
            w.call();
            // then
            int limit = w.last.batchLimit();
            assertTrue(limit >= 8 && limit <= 300, "limit " + limit + " at " + i);
            assertTrue(w.last.lingerNanos() >= 0 && w.last.lingerNanos() <= 500 * US,
                    "linger " + w.last.lingerNanos() + " at " + i);
        }
    }

    @Test
    void givenNewBoundsWhenTheLimitIsOutsideThemThenItIsBroughtWithin() {
        // given
        SimulatedWriter w = new SimulatedWriter(DEFAULTS, 200 * US, 5 * US);
        w.queue = 100_000;
        w.oldestArrival = w.clock.get();
        w.calls(3);
        // when
        w.tuner.limits(new BatchTuner.Limits(1, 500, 2 * MS, MS));
        // then
        assertEquals(500, w.tuner.limit());
    }

    @Test
    void givenBoundsOutOfOrderWhenMakingThemThenTheyAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BatchTuner.Limits(10, 5, 2 * MS, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchTuner.Limits(1, 5, 2 * MS, 2 * MS));
    }

    @Test
    void givenCallsOfTwoSizesWhenFittingThenTheFixedAndPerChangeCostsAreFound() {
        // given
        AtomicLong clock = new AtomicLong();
        BatchTuner t = new BatchTuner(DEFAULTS, clock::get);
        // when: 300 µs + 4 µs per change, calls of 10 and 100
        for (int i = 0; i < 40; i++) {
            int n = i % 2 == 0 ? 10 : 100;
            clock.addAndGet(MS);
            t.applied(n, 300 * US + 4 * US * n);
        }
        // then
        double[] ab = t.cost();
        assertEquals(300 * US, ab[0], 1_000);
        assertEquals(4 * US, ab[1], 10);
    }
}
