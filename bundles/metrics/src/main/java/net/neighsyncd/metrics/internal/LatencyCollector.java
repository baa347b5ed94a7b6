package net.neighsyncd.metrics.internal;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;
import net.neighsyncd.api.engine.LatencyHistogram;
import net.neighsyncd.api.engine.SyncStatus;

/**
 * {@code neighsyncd_sync_latency_seconds}: the engine's fixed-bucket end-to-end latency
 * histogram ({@code latency.e2e.le.<ms>} cumulative counts, {@code latency.e2e.sum_us},
 * {@code latency.e2e.count}) as a Prometheus classic histogram. Micrometer has no meter that
 * exports precomputed buckets, so this is a collector on the registry's Prometheus registry.
 */
final class LatencyCollector implements Collector {
    static final String NAME = "neighsyncd_sync_latency_seconds";
    private static final MetricMetadata METADATA = new MetricMetadata(NAME,
            "Time from the engine taking a kernel neighbor message to APPL_DB acknowledging the write of that change",
            Unit.SECONDS);

    /** Each pipeline's status by its namespace, in namespace order. */
    private final Map<String, Supplier<SyncStatus>> statuses = new ConcurrentSkipListMap<>();

    void add(String namespace, Supplier<SyncStatus> status) {
        statuses.put(namespace, status);
    }

    void remove(String namespace) {
        statuses.remove(namespace);
    }

    @Override
    public HistogramSnapshot collect() {
        List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
        statuses.forEach((namespace, status) -> {
            LatencyHistogram h = status.get().appDb().latency();
            double sum = h.sumMicros() / 1_000_000.0;
            points.add(new HistogramSnapshot.HistogramDataPointSnapshot(
                    CumulativeBuckets.of(h.boundsMillis(), h.cumulative(), h.count(), 1000.0), sum,
                    Labels.of(MetricsServlet.NAMESPACE_TAG, namespace), Exemplars.EMPTY, 0L));
        });
        return new HistogramSnapshot(METADATA, points);
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
