package net.neighsyncd.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.metrics.MeterSpec;
import org.junit.jupiter.api.Test;

class SourceMetersTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SourceMeters sourceMeters = new SourceMeters(registry);
    private final AtomicLong roundTrips = new AtomicLong(7);
    private final AtomicLong sent = new AtomicLong(3);
    private final AtomicLong buffer = new AtomicLong(4096);

    private final MeterSource source = () -> List.of(
            MeterSpec.counter("test.roundtrips", "Round trips", null, roundTrips::get),
            MeterSpec.counter("test.messages", "Messages by type", Map.of("type", "sent"), sent::get),
            MeterSpec.gauge("test.receive.buffer", "bytes", "Receive buffer", null, buffer::get));

    private String scrape() {
        return registry.scrape(MetricsServlet.TEXT_004);
    }

    @Test
    void aBoundSourcesMetersAreScrapedWithTheValuesOfTheirSuppliers() {
        // given
        sourceMeters.bind(source);
        // when
        roundTrips.set(11);
        String text = scrape();
        // then
        assertTrue(text.contains("# TYPE test_roundtrips_total counter"), text);
        assertTrue(text.contains("# HELP test_roundtrips_total Round trips"), text);
        assertTrue(text.contains("test_roundtrips_total " + (double) roundTrips.get()), text);
        assertTrue(text.contains("test_messages_total{type=\"sent\"} " + (double) sent.get()), text);
        assertTrue(text.contains("# TYPE test_receive_buffer_bytes gauge"), text);
        assertTrue(text.contains("test_receive_buffer_bytes " + (double) buffer.get()), text);
    }

    @Test
    void unbindingASourceRemovesItsMetersAndNothingElse() {
        // given a bound source and a meter of someone else's
        FunctionCounter.builder("test.other", roundTrips, AtomicLong::get).register(registry);
        sourceMeters.bind(source);
        int before = registry.getMeters().size();
        // when
        sourceMeters.unbind(source);
        // then
        String text = scrape();
        assertFalse(text.contains("test_roundtrips"), text);
        assertFalse(text.contains("test_messages"), text);
        assertFalse(text.contains("test_receive_buffer"), text);
        assertTrue(text.contains("test_other_total"), text);
        assertEquals(before - source.meters().size(), registry.getMeters().size());
    }

    @Test
    void aSpecOfANameTakenByAnotherKindIsSkippedAndTheRestRegister() {
        // given a gauge of the name the source's counter wants
        AtomicLong theirs = new AtomicLong(42);
        sourceMeters.bind(() -> List.of(MeterSpec.gauge("test.roundtrips", null, "Theirs", Map.of("k", "v"),
                theirs::get)));
        // when
        sourceMeters.bind(source);
        // then the gauge stays as it was and the counter is not there
        String text = scrape();
        assertTrue(text.contains("test_roundtrips{k=\"v\"} " + (double) theirs.get()), text);
        assertFalse(text.contains("test_roundtrips_total"), text);
        assertEquals(1, registry.find("test.roundtrips").meters().size());
        // and the source's other meters are exported
        assertTrue(text.contains("test_messages_total{type=\"sent\"} " + (double) sent.get()), text);
        assertTrue(text.contains("test_receive_buffer_bytes " + (double) buffer.get()), text);
    }

    @Test
    void aSpecOfANameAndTagsAnotherSourceExportsIsSkippedAndUnbindingLeavesTheOtherOnesMeter() {
        // given another source that exports test.roundtrips already
        AtomicLong theirs = new AtomicLong(42);
        MeterSource other = () -> List.of(MeterSpec.counter("test.roundtrips", "Theirs", null, theirs::get));
        sourceMeters.bind(other);
        // when this source comes and goes
        sourceMeters.bind(source);
        sourceMeters.unbind(source);
        // then the other source's counter is still there, with its own value
        String text = scrape();
        assertTrue(text.contains("test_roundtrips_total " + (double) theirs.get()), text);
        assertFalse(text.contains("test_messages"), text);
    }

    @Test
    void aSourceWhoseMetersFailsExportsNothingAndBreaksNothing() {
        // given
        MeterSource broken = () -> {
            throw new IllegalStateException("not ready");
        };
        // when
        sourceMeters.bind(broken);
        sourceMeters.bind(source);
        sourceMeters.unbind(broken);
        // then
        assertTrue(scrape().contains("test_roundtrips_total " + (double) roundTrips.get()));
    }
}
