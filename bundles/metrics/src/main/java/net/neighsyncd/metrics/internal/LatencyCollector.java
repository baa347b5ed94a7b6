package net.neighsyncd.metrics.internal;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.neighsyncd.api.engine.SyncStatus;

/**
 * {@code neighsyncd_sync_latency_seconds}: the engine's fixed-bucket end-to-end latency
 * histogram ({@code latency.e2e.le.<ms>} cumulative counts, {@code latency.e2e.sum_us},
 * {@code latency.e2e.count}) as a Prometheus classic histogram. Micrometer has no meter that
 * exports precomputed buckets, so this is a collector on the registry's Prometheus registry.
 */
final class LatencyCollector implements Collector {
    static final String NAME = "neighsyncd_sync_latency_seconds";
    /** Bucket bounds the engine keeps, in milliseconds. */
    static final long[] BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    private static final String PREFIX = "latency.e2e.";
    private static final MetricMetadata METADATA = new MetricMetadata(NAME,
            "Time from the engine taking a kernel neighbor message to APPL_DB acknowledging the write of that change",
            Unit.SECONDS);

    private final Supplier<SyncStatus> status;

    LatencyCollector(Supplier<SyncStatus> status) {
        this.status = status;
    }

    @Override
    public HistogramSnapshot collect() {
        Map<String, Long> c = status.get().counters();
        double[] bounds = new double[BOUNDS_MS.length + 1];
        long[] counts = new long[BOUNDS_MS.length + 1];
        long below = 0;
        for (int i = 0; i < BOUNDS_MS.length; i++) {
            long cumulative = Math.max(below, c.getOrDefault(PREFIX + "le." + BOUNDS_MS[i], 0L));
            bounds[i] = BOUNDS_MS[i] / 1000.0;
            counts[i] = cumulative - below;
            below = cumulative;
        }
        long count = Math.max(below, c.getOrDefault(PREFIX + "count", 0L));
        bounds[BOUNDS_MS.length] = Double.POSITIVE_INFINITY;
        counts[BOUNDS_MS.length] = count - below;
        double sum = c.getOrDefault(PREFIX + "sum_us", 0L) / 1_000_000.0;
        return new HistogramSnapshot(METADATA, List.of(new HistogramSnapshot.HistogramDataPointSnapshot(
                ClassicHistogramBuckets.of(bounds, counts), sum, Labels.EMPTY, Exemplars.EMPTY, 0L)));
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
