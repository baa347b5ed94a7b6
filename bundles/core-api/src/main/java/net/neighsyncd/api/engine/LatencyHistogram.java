package net.neighsyncd.api.engine;

import java.util.List;

/**
 * End-to-end latencies from the engine taking a kernel message to the sink acknowledging the
 * write of that key's change.
 *
 * @param boundsMillis upper bounds of the buckets, ascending
 * @param cumulative   samples at or below each bound (same length as the bounds)
 * @param count        all samples
 * @param sumMicros    their sum in microseconds
 */
public record LatencyHistogram(List<Long> boundsMillis, List<Long> cumulative, long count, long sumMicros) {

    public LatencyHistogram {
        boundsMillis = List.copyOf(boundsMillis);
        cumulative = List.copyOf(cumulative);
        if (boundsMillis.size() != cumulative.size()) {
            throw new IllegalArgumentException("one cumulative count per bound");
        }
    }
}
