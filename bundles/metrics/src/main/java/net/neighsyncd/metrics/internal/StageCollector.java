package net.neighsyncd.metrics.internal;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.neighsyncd.api.profiling.Stage;
import net.neighsyncd.api.profiling.StageHistogram;
import net.neighsyncd.api.profiling.StageTimings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code neighsyncd_stage_latency_seconds{stage="…"}}: the histograms of every bound
 * {@link StageTimings} service as one Prometheus classic histogram, a series per {@link Stage}
 * (in the enum's order; a stage nobody times has no series). Two services reporting the same
 * stage with the same bounds are added up; one with other bounds is left out, with one warning.
 */
final class StageCollector implements Collector {
    static final String NAME = "neighsyncd_stage_latency_seconds";
    private static final Logger LOG = LoggerFactory.getLogger(StageCollector.class);
    private static final MetricMetadata METADATA = new MetricMetadata(NAME,
            "Latency of each stage of the sync path (netlink_read, decode, rules, diff, encode, redis_roundtrip); "
                    + "decode, rules and diff time one execution in 16",
            Unit.SECONDS);

    private final List<StageTimings> services = new CopyOnWriteArrayList<>();
    private final Set<Stage> warned = EnumSet.noneOf(Stage.class);

    void add(StageTimings s) {
        services.add(s);
    }

    void remove(StageTimings s) {
        services.remove(s);
    }

    /** Per stage, the sum of what the services report (the first one's bounds decide). */
    Map<Stage, StageHistogram> merged() {
        Map<Stage, StageHistogram> out = new EnumMap<>(Stage.class);
        for (StageTimings service : services) {
            List<StageHistogram> stages;
            try {
                stages = service.stages();
            } catch (RuntimeException e) {
                LOG.warn("stage latencies of {} not exported: its stages() failed: {}", service.getClass().getName(),
                        e.toString());
                continue;
            }
            for (StageHistogram h : stages) {
                StageHistogram known = out.get(h.stage());
                if (known == null) {
                    out.put(h.stage(), h);
                } else if (known.boundsNanos().equals(h.boundsNanos())) {
                    out.put(h.stage(), add(known, h));
                } else {
                    warnOnce(h.stage(), service);
                }
            }
        }
        return out;
    }

    private static StageHistogram add(StageHistogram a, StageHistogram b) {
        List<Long> cumulative = new ArrayList<>(a.cumulative().size());
        for (int i = 0; i < a.cumulative().size(); i++) {
            cumulative.add(a.cumulative().get(i) + b.cumulative().get(i));
        }
        return new StageHistogram(a.stage(), a.boundsNanos(), cumulative, a.count() + b.count(),
                a.sumNanos() + b.sumNanos(), Math.max(a.sampleEvery(), b.sampleEvery()));
    }

    private synchronized void warnOnce(Stage stage, StageTimings service) {
        if (warned.add(stage)) {
            LOG.warn("stage {} of {} not exported: another service reports it with other buckets", stage.label(),
                    service.getClass().getName());
        }
    }

    @Override
    public HistogramSnapshot collect() {
        List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
        for (StageHistogram h : merged().values()) {
            points.add(point(h));
        }
        return new HistogramSnapshot(METADATA, points);
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot point(StageHistogram h) {
        return new HistogramSnapshot.HistogramDataPointSnapshot(
                CumulativeBuckets.of(h.boundsNanos(), h.cumulative(), h.count(), 1e9), h.sumNanos() / 1e9,
                Labels.of("stage", h.stage().label()), Exemplars.EMPTY, 0L);
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
