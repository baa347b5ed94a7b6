package net.neighsyncd.metrics.internal;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import java.util.List;

/**
 * A fixed-bucket histogram the API reports as cumulative counts (each bound's count includes the
 * ones below it) as Prometheus's per-bucket counts, with the +Inf bucket; never a negative
 * bucket, even for counts read while the recorder was bumping them.
 */
final class CumulativeBuckets {
    private CumulativeBuckets() {
    }

    /**
     * @param bounds      the upper bounds, in their own unit
     * @param cumulative  the count at or below each bound
     * @param count       every sample, the ones above the last bound included
     * @param unitsPerSecond units of {@code bounds} in a second (1000 for milliseconds): a division, so
     *                       that a bound of 5 ms is exactly the {@code le} 0.005 it always was
     */
    static ClassicHistogramBuckets of(List<Long> bounds, List<Long> cumulative, long count, double unitsPerSecond) {
        int n = bounds.size();
        double[] upper = new double[n + 1];
        long[] counts = new long[n + 1];
        long below = 0;
        for (int i = 0; i < n; i++) {
            long atOrBelow = Math.max(below, cumulative.get(i));
            upper[i] = bounds.get(i) / unitsPerSecond;
            counts[i] = atOrBelow - below;
            below = atOrBelow;
        }
        upper[n] = Double.POSITIVE_INFINITY;
        counts[n] = Math.max(below, count) - below;
        return ClassicHistogramBuckets.of(upper, counts);
    }
}
