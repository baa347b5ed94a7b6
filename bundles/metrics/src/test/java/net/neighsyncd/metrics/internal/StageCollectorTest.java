package net.neighsyncd.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import net.neighsyncd.api.profiling.Stage;
import net.neighsyncd.api.profiling.StageHistogram;
import net.neighsyncd.api.profiling.StageTimings;
import org.junit.jupiter.api.Test;

class StageCollectorTest {
    private static final List<Long> BOUNDS = List.of(64L, 128L, 256L);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final StageCollector collector = new StageCollector();

    StageCollectorTest() {
        registry.getPrometheusRegistry().register(collector);
    }

    private static StageHistogram histogram(Stage stage, List<Long> bounds, List<Long> cumulative, long count,
            long sumNanos, int sampleEvery) {
        return new StageHistogram(stage, bounds, cumulative, count, sumNanos, sampleEvery);
    }

    @Test
    void givenTwoServicesWhenScrapedThenEachStageIsASeriesOfTheHistogramInSeconds() {
        // given: decode samples of 100 ns and 200 ns, sampled 1 in 16; one round trip of 1 µs (above the last bound)
        StageTimings netlink = () -> List.of(histogram(Stage.DECODE, BOUNDS, List.of(0L, 1L, 2L), 2, 300, 16));
        StageTimings redis = () -> List.of(histogram(Stage.REDIS_ROUNDTRIP, BOUNDS, List.of(0L, 0L, 0L), 1, 1000, 1));
        collector.add(netlink);
        collector.add(redis);
        // when
        String text = registry.scrape(MetricsServlet.TEXT_004);
        // then
        assertTrue(text.contains("# TYPE neighsyncd_stage_latency_seconds histogram"), text);
        assertTrue(text.contains("neighsyncd_stage_latency_seconds_bucket{stage=\"decode\",le=\"6.4E-8\"} 0"), text);
        assertTrue(text.contains("neighsyncd_stage_latency_seconds_bucket{stage=\"decode\",le=\"1.28E-7\"} 1"), text);
        assertTrue(text.contains("neighsyncd_stage_latency_seconds_bucket{stage=\"decode\",le=\"2.56E-7\"} 2"), text);
        assertTrue(text.contains("neighsyncd_stage_latency_seconds_count{stage=\"decode\"} 2"), text);
        assertTrue(text.contains("neighsyncd_stage_latency_seconds_sum{stage=\"decode\"} 3.0E-7"), text);
        assertTrue(text.contains("neighsyncd_stage_latency_seconds_bucket{stage=\"redis_roundtrip\",le=\"+Inf\"} 1"),
                text);
        assertTrue(text.contains("neighsyncd_stage_latency_seconds_bucket{stage=\"redis_roundtrip\",le=\"2.56E-7\"} 0"),
                text);
        assertFalse(text.contains("stage=\"rules\""), "a stage nobody times has no series: " + text);
    }

    @Test
    void givenTwoServicesTimingOneStageWhenScrapedThenTheSameBucketsAreAddedUpAndOtherBucketsLeftOut() {
        // given
        collector.add(() -> List.of(histogram(Stage.ENCODE, BOUNDS, List.of(1L, 1L, 1L), 1, 50, 1)));
        collector.add(() -> List.of(histogram(Stage.ENCODE, BOUNDS, List.of(0L, 2L, 2L), 2, 200, 1)));
        collector.add(() -> List.of(histogram(Stage.ENCODE, List.of(1000L), List.of(5L), 5, 5000, 1)));
        // when
        String text = registry.scrape(MetricsServlet.TEXT_004);
        // then
        assertTrue(text.contains("neighsyncd_stage_latency_seconds_bucket{stage=\"encode\",le=\"1.28E-7\"} 3"), text);
        assertTrue(text.contains("neighsyncd_stage_latency_seconds_count{stage=\"encode\"} 3"), text);
        assertFalse(text.contains("le=\"1.0E-6\""), text);
    }

    @Test
    void givenNoServiceOrAGoneOneWhenScrapedThenThereIsNoStageSeriesAndTheScrapeStillWorks() {
        // given a service that came and went
        StageTimings gone = () -> List.of(histogram(Stage.RULES, BOUNDS, List.of(1L, 1L, 1L), 1, 10, 16));
        collector.add(gone);
        assertTrue(registry.scrape(MetricsServlet.TEXT_004).contains("stage=\"rules\""));
        collector.remove(gone);
        // when
        String text = registry.scrape(MetricsServlet.TEXT_004);
        // then
        assertFalse(text.contains("neighsyncd_stage_latency_seconds_count"), text);
    }
}
