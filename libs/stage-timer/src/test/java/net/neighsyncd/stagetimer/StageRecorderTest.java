package net.neighsyncd.stagetimer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.neighsyncd.api.profiling.Stage;
import net.neighsyncd.api.profiling.StageHistogram;
import org.junit.jupiter.api.Test;

class StageRecorderTest {

    @Test
    void givenSamplesOnAndBetweenBoundsWhenSnapshottedThenEachIsCountedAtTheFirstBoundItDoesNotExceed() {
        // given
        StageRecorder r = new StageRecorder(Stage.DECODE, 1);
        // when: on the first bound, just above it, on the second, far above the last
        r.record(64);
        r.record(65);
        r.record(128);
        r.record(20_000_000_000L);
        StageHistogram h = r.snapshot();
        // then
        assertEquals(Stage.DECODE, h.stage());
        assertEquals(StageRecorder.BOUNDS, h.boundsNanos().size());
        assertEquals(64L, h.boundsNanos().get(0));
        assertEquals(128L, h.boundsNanos().get(1));
        assertEquals(1L << 33, h.boundsNanos().get(StageRecorder.BOUNDS - 1));
        assertEquals(1L, h.cumulative().get(0));
        assertEquals(3L, h.cumulative().get(1));
        assertEquals(3L, h.cumulative().get(StageRecorder.BOUNDS - 1));
        assertEquals(4L, h.count());
        assertEquals(64 + 65 + 128 + 20_000_000_000L, h.sumNanos());
    }

    @Test
    void givenEveryNanosecondCountWhenBucketedThenTheBucketIsTheSmallestBoundAtOrAboveIt() {
        for (long n : new long[] {0, 1, 63, 64, 65, 127, 128, 129, 1000, 1 << 20, (1L << 33) - 1, 1L << 33,
            (1L << 33) + 1, Long.MAX_VALUE}) {
            int b = StageRecorder.bucket(n);
            if (b < StageRecorder.BOUNDS) {
                assertTrue(n <= StageRecorder.bound(b), n + " above bound " + b);
                assertTrue(b == 0 || n > StageRecorder.bound(b - 1), n + " fits an earlier bound than " + b);
            } else {
                assertTrue(n > StageRecorder.bound(StageRecorder.BOUNDS - 1), n + " counted above the last bound");
            }
        }
    }

    @Test
    void givenASampleOfOneInFourWhenAskedEightTimesThenTheFourthAndEighthAreTimed() {
        // given
        StageRecorder r = new StageRecorder(Stage.RULES, 4);
        // when
        List<Integer> timed = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            if (r.sample()) {
                timed.add(i);
            }
        }
        // then
        assertEquals(List.of(4, 8), timed);
        assertEquals(4, r.snapshot().sampleEvery());
    }

    @Test
    void givenEverySampledWhenAskedThenEveryExecutionIsTimed() {
        StageRecorder r = new StageRecorder(Stage.ENCODE, 1);
        for (int i = 0; i < 5; i++) {
            assertTrue(r.sample());
        }
    }

    @Test
    void givenANegativeDurationWhenRecordedThenItCountsAsZero() {
        StageRecorder r = new StageRecorder(Stage.DIFF, 1);
        r.record(-5);
        StageHistogram h = r.snapshot();
        assertEquals(1L, h.cumulative().get(0));
        assertEquals(0L, h.sumNanos());
    }

    @Test
    void givenASampleRateThatIsNoPowerOfTwoWhenCreatedThenItIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StageRecorder(Stage.DECODE, 3));
        assertThrows(IllegalArgumentException.class, () -> new StageRecorder(Stage.DECODE, 0));
        assertFalse(new StageRecorder(Stage.DECODE, 2).sample());
    }
}
