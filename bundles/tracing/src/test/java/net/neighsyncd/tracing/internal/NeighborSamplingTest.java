package net.neighsyncd.tracing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which batches get a span per neighbor. */
class NeighborSamplingTest {

    @Test
    void ratioZeroSamplesNoBatchAndOneEveryBatch() {
        assertEquals(List.of(), sampled(new NeighborSampling(0), 100));
        assertEquals(100, sampled(new NeighborSampling(1), 100).size());
    }

    @Test
    void aQuarterSamplesEveryFourthBatch() {
        assertEquals(List.of(4, 8, 12, 16, 20), sampled(new NeighborSampling(0.25), 20));
    }

    @Test
    void aRatioSamplesThatShareOfTheBatchesExactly() {
        assertEquals(1_000, sampled(new NeighborSampling(0.01), 100_000).size());
        assertEquals(33_333, sampled(new NeighborSampling(1.0 / 3), 100_000).size());
    }

    /** The 1-based numbers of the sampled batches among the first {@code n}. */
    private static List<Integer> sampled(NeighborSampling s, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (s.next()) {
                out.add(i);
            }
        }
        return out;
    }
}
