package net.neighsyncd.metrics.internal;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code neighsyncd_neighbors_by_vrf{vrf}}: the entries APPL_DB holds per VRF, as the engine counts
 * them when scraped ({@code SyncEngine.neighborsByVrf()}). The label set follows the VRFs that
 * have entries, so it is bounded by the VRFs of the switch, never by its neighbors; Micrometer's
 * gauges have a fixed label set, hence a collector on the Prometheus registry.
 */
final class VrfCountsCollector implements Collector {
    static final String NAME = "neighsyncd_neighbors_by_vrf";
    private static final MetricMetadata METADATA = new MetricMetadata(NAME,
            "Entries APPL_DB holds, by VRF (default: an interface in no VRF, or no VRF manager running)");

    /** Each pipeline's counts by its namespace, in namespace order. */
    private final Map<String, Supplier<Map<String, Integer>>> counts = new java.util.concurrent.ConcurrentSkipListMap<>();

    void add(String namespace, Supplier<Map<String, Integer>> pipelineCounts) {
        counts.put(namespace, pipelineCounts);
    }

    void remove(String namespace) {
        counts.remove(namespace);
    }

    @Override
    public GaugeSnapshot collect() {
        List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>();
        counts.forEach((namespace, byVrf) -> byVrf.get().forEach((vrf, n) -> points.add(
                new GaugeSnapshot.GaugeDataPointSnapshot(n, Labels.of(MetricsServlet.NAMESPACE_TAG, namespace, "vrf", vrf),
                        null))));
        return new GaugeSnapshot(METADATA, points);
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
