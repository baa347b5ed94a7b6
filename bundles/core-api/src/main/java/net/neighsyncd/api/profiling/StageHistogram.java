package net.neighsyncd.api.profiling;

import java.util.List;
import java.util.Objects;

/**
 * The latencies of one {@link Stage}, monotonic since its owner started: fixed buckets, each
 * sample counted in the first whose upper bound it does not exceed.
 *
 * @param stage       the stage
 * @param boundsNanos upper bounds of the buckets in nanoseconds, ascending (samples above the last
 *                    one are counted only in {@code count})
 * @param cumulative  samples at or below each bound (same length as the bounds, never decreasing)
 * @param count       all samples
 * @param sumNanos    their sum in nanoseconds
 * @param sampleEvery one execution of the stage in this many is timed (1: every one); {@code count}
 *                    times this estimates how often the stage ran
 */
public record StageHistogram(Stage stage, List<Long> boundsNanos, List<Long> cumulative, long count, long sumNanos,
        int sampleEvery) {

    public StageHistogram {
        Objects.requireNonNull(stage, "stage");
        boundsNanos = List.copyOf(boundsNanos);
        cumulative = List.copyOf(cumulative);
        if (boundsNanos.size() != cumulative.size()) {
            throw new IllegalArgumentException("one cumulative count per bound");
        }
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery is at least 1, not " + sampleEvery);
        }
    }
}
