package net.neighsyncd.alerting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.alerting.Alert;
import net.neighsyncd.api.alerting.Alert.State;
import org.junit.jupiter.api.Test;

class RuleStateTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static RuleSpec spec(String... kv) {
        Map<String, Object> p = new HashMap<>(Map.of("name", "r", "meter", "m"));
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return RuleSpec.parse(p);
    }

    /** Feeds values one second apart; returns the notified transitions. */
    private static List<State> feed(RuleState s, long startMillis, double... values) {
        List<State> out = new ArrayList<>();
        long t = startMillis;
        for (double v : values) {
            Alert a = s.evaluate(v, t, T0.plusMillis(t));
            if (a != null) {
                out.add(a.state());
            }
            t += 1000;
        }
        return out;
    }

    @Test
    void valueHoveringAtTheThresholdDoesNotFlap() {
        RuleState s = new RuleState(spec("condition", "below", "threshold", "0.5", "hysteresis", "0.2",
                "forSeconds", "2"), T0);
        List<State> notified = new ArrayList<>();
        // just below, just above, within the band, for a long time
        double[] hover = new double[40];
        for (int i = 0; i < hover.length; i++) {
            hover[i] = i % 2 == 0 ? 0.49 : 0.51 + (i % 3) * 0.05;
        }
        notified.addAll(feed(s, 0, hover));
        assertEquals(List.of(State.FIRING), notified);
        assertEquals(State.FIRING, s.state());
        // back past the threshold by more than the hysteresis: resolved once
        notified.addAll(feed(s, 40_000, 0.71, 0.69, 0.6, 0.51, 0.75));
        assertEquals(List.of(State.FIRING, State.RESOLVED), notified);
        assertEquals(State.RESOLVED, s.state());
    }

    @Test
    void withoutHysteresisTheSameHoveringFlaps() {
        RuleState s = new RuleState(spec("condition", "below", "threshold", "0.5", "forSeconds", "0"), T0);
        List<State> notified = feed(s, 0, 0.49, 0.51, 0.49, 0.51);
        assertEquals(List.of(State.FIRING, State.RESOLVED, State.FIRING, State.RESOLVED), notified);
    }

    @Test
    void pendingForTheDurationThenFiring() {
        RuleState s = new RuleState(spec("condition", "above", "threshold", "100", "forSeconds", "3"), T0);
        assertNull(s.evaluate(150, 0, T0));
        assertEquals(State.PENDING, s.state());
        assertNull(s.evaluate(150, 2000, T0));
        assertEquals(State.PENDING, s.state());
        assertEquals(State.FIRING, s.evaluate(150, 3000, T0).state());
        // a pending rule that clears goes back to inactive, silently
        RuleState p = new RuleState(spec("condition", "above", "threshold", "100", "forSeconds", "3"), T0);
        assertEquals(List.of(), feed(p, 0, 150, 150, 50, 150, 150));
        assertEquals(State.PENDING, p.state());
    }

    @Test
    void rateOfACounterOverTheWindow() {
        RuleState s = new RuleState(spec("aggregation", "rate", "windowSeconds", "5", "condition", "above",
                "threshold", "0"), T0);
        // first sample: no rate yet; then an increase fires; after the window without increase it resolves
        assertEquals(List.of(State.FIRING, State.RESOLVED), feed(s, 0, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4));
    }

    @Test
    void betweenAndRateOfChange() {
        RuleState b = new RuleState(spec("condition", "between", "threshold", "10", "threshold2", "20"), T0);
        assertEquals(List.of(State.FIRING, State.RESOLVED), feed(b, 0, 5, 15, 21));
        RuleState r = new RuleState(spec("condition", "rate_of_change", "threshold", "10", "windowSeconds", "10"), T0);
        assertEquals(List.of(State.FIRING), feed(r, 0, 0, 100, 200));
    }

    @Test
    void meanOfATimerCountsOnlyWhatWasRecordedInTheWindow() {
        // given: a timer that recorded 100 writes of 10 ms before the rule started
        RuleState s = new RuleState(spec("aggregation", "mean", "windowSeconds", "5", "condition", "above",
                "threshold", "0.5", "forSeconds", "0"), T0);
        double total = 1.0;
        double count = 100;
        assertNull(s.evaluateMean(total, count, 0, T0));
        // when: two slow writes (1 s each) come in the next second
        total += 2.0;
        count += 2;
        Alert fired = s.evaluateMean(total, count, 1000, T0);
        // then: their mean (1 s), not the lifetime mean (~0.03 s), is compared
        assertEquals(State.FIRING, fired.state());
        assertEquals(1.0, fired.value(), 1e-9);
        // and when ten 1 ms writes follow, the window's mean (2.01 s / 12) is under the threshold again
        Alert resolved = s.evaluateMean(total + 0.01, count + 10, 2000, T0);
        assertEquals(State.RESOLVED, resolved.state());
        assertEquals(2.01 / 12, resolved.value(), 1e-9);
    }

    @Test
    void meanWithoutAnythingRecordedIsNoData() {
        // given
        RuleState s = new RuleState(spec("aggregation", "mean", "condition", "above", "threshold", "0.5"), T0);
        // when: the count does not move
        s.evaluateMean(5.0, 10, 0, T0);
        s.evaluateMean(5.0, 10, 1000, T0);
        // then
        assertTrue(Double.isNaN(s.snapshot().value()));
        assertEquals(State.INACTIVE, s.state());
    }

    @Test
    void readsTheTotalAndCountOfMatchingTimers() {
        // given
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        r.timer("w").record(java.time.Duration.ofMillis(300));
        r.timer("w").record(java.time.Duration.ofMillis(100));
        // when
        double[] tc = AlertEngine.readTotalAndCount(r, spec("meter", "w", "aggregation", "mean", "condition", "above",
                "threshold", "0"));
        // then
        assertEquals(0.4, tc[0], 1e-9);
        assertEquals(2.0, tc[1]);
        assertTrue(Double.isNaN(AlertEngine.readTotalAndCount(r, spec("meter", "nope", "condition", "above",
                "threshold", "0"))[0]));
    }

    @Test
    void invalidValuesAreRejectedNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec("condition", "sideways", "threshold", "1"))
                .getMessage().startsWith("condition:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> spec("condition", "above", "threshold", "1", "hysteresis", "-1")).getMessage().startsWith("hysteresis:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> spec("condition", "above", "threshold", "x")).getMessage().startsWith("threshold:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> spec("condition", "above", "threshold", "1", "intervalMillis", "5")).getMessage().startsWith("intervalMillis:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> spec("condition", "between", "threshold", "1", "threshold2", "0")).getMessage().startsWith("threshold2:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> spec("condition", "above", "threshold", "1", "tags", "novalue")).getMessage().startsWith("tags:"));
    }

    @Test
    void readsAndSumsMatchingMeters() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        r.counter("x.total", "op", "set").increment(3);
        r.counter("x.total", "op", "delete").increment(2);
        assertEquals(5.0, AlertEngine.read(r, spec("meter", "x.total", "condition", "above", "threshold", "0")));
        assertEquals(2.0, AlertEngine.read(r, spec("meter", "x.total", "tags", "op=delete", "condition", "above",
                "threshold", "0")));
        assertTrue(Double.isNaN(AlertEngine.read(r, spec("meter", "nope", "condition", "above", "threshold", "0"))));
    }

    @Test
    void aPipelineInTroubleIsNotHiddenByAHealthyOne() {
        // given: two pipelines' health gauges, one healthy, one not, and their writes by operation
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        r.gauge("h", io.micrometer.core.instrument.Tags.of("namespace", "asic0"), 1.0);
        r.gauge("h", io.micrometer.core.instrument.Tags.of("namespace", "asic1"), 0.0);
        r.counter("w.total", "namespace", "asic0", "op", "set").increment(3);
        r.counter("w.total", "namespace", "asic0", "op", "delete").increment(2);
        r.counter("w.total", "namespace", "asic1", "op", "set").increment(1);
        // when / then: below takes the worst pipeline, above the largest, each pipeline's tags summed
        assertEquals(0.0, AlertEngine.read(r, spec("meter", "h", "condition", "below", "threshold", "0.5")));
        assertEquals(1.0, AlertEngine.read(r, spec("meter", "h", "condition", "above", "threshold", "0.5")));
        assertEquals(5.0, AlertEngine.read(r, spec("meter", "w.total", "condition", "above", "threshold", "0")));
    }

    @Test
    void webhookJsonAndBackoff() {
        Alert a = new Alert("redis \"x\"", State.FIRING, Alert.Severity.CRITICAL, Map.of("team", "net"), "d\n",
                Double.NaN, T0);
        assertEquals("{\"rule\":\"redis \\\"x\\\"\",\"state\":\"FIRING\",\"severity\":\"critical\","
                + "\"labels\":{\"team\":\"net\"},\"description\":\"d\\n\",\"value\":null,"
                + "\"since\":\"2026-01-01T00:00:00Z\"}", Json.of(a));
        WebhookAlertNotifier.Settings s = WebhookAlertNotifier.Settings.parse(Map.of("url", "http://127.0.0.1:1/x",
                "backoffMillis", "100", "maxBackoffMillis", "500"));
        assertEquals(List.of(100L, 200L, 400L, 500L, 500L),
                List.of(s.backoff(1), s.backoff(2), s.backoff(3), s.backoff(4), s.backoff(5)));
        assertThrows(IllegalArgumentException.class, () -> WebhookAlertNotifier.Settings.parse(Map.of("url", "ftp://x")));
    }
}
