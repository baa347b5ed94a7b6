package net.neighsyncd.alerting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import net.neighsyncd.api.alerting.Alert;
import net.neighsyncd.api.alerting.Alert.State;
import org.junit.jupiter.api.Test;

class AlertEngineTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    @Test
    void firesResolvesNotifiesAndCountsFiringBySeverity() {
        // given: an engine whose evaluations, notifications and time the test runs by hand, and a
        // rule that fires at once when neighsyncd.healthy drops below 0.5, evaluated every 100 ms
        ManualScheduler scheduler = new ManualScheduler();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<Double> healthy = new AtomicReference<>(1.0);
        Gauge.builder("neighsyncd.healthy", healthy, AtomicReference::get).register(registry);
        AlertEngine engine = new AlertEngine(scheduler, scheduler, scheduler::nanoTime,
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        List<Alert> notified = new java.util.ArrayList<>();
        engine.bindRegistry(registry);
        engine.bindNotifier(notified::add);
        engine.activate();
        try {
            AlertRule rule = new AlertRule(engine);
            Map<String, Object> config = new HashMap<>(Map.of("service.pid", "net.neighsyncd.alert.rule~t",
                    "name", "t", "meter", "neighsyncd.healthy", "condition", "below", "threshold", "0.5",
                    "forSeconds", "0", "intervalMillis", "100", "severity", "critical"));

            // when: the rule is configured and evaluated four times on a healthy value
            rule.activate(config);
            scheduler.runDue();
            scheduler.advance(INTERVAL.multipliedBy(3));

            // then: four evaluations were done and none of them made the rule active or notified
            assertEquals(4.0, evaluations(registry, "t"));
            assertEquals(List.of(), engine.active());
            assertEquals(List.of(), notified);

            // when: the value drops below the threshold and the rule is evaluated once more
            healthy.set(0.0);
            scheduler.advance(INTERVAL);

            // then: it fires at once, is notified once and counts in its severity only
            assertEquals(5.0, evaluations(registry, "t"));
            assertEquals(List.of(State.FIRING), states(notified));
            assertEquals(State.FIRING, engine.active().get(0).state());
            assertEquals(1.0, registry.get(AlertEngine.FIRING_GAUGE).tag("severity", "critical").gauge().value());
            assertEquals(0.0, registry.get(AlertEngine.FIRING_GAUGE).tag("severity", "warning").gauge().value());

            // when: an invalid change comes
            RuleSpec good = rule.current();
            config.put("hysteresis", "-1");
            rule.modified(config);

            // then: it is rejected and the last good configuration stays
            assertEquals(good, rule.current());

            // when: the value is back and the rule is evaluated once more
            healthy.set(1.0);
            scheduler.advance(INTERVAL);

            // then: it resolves, is notified once more and no longer counts
            assertEquals(List.of(State.FIRING, State.RESOLVED), states(notified));
            assertEquals(List.of(), engine.active());
            assertEquals(0.0, registry.get(AlertEngine.FIRING_GAUGE).tag("severity", "critical").gauge().value());

            // when: a notifier that throws is bound before the rule fires again and is removed
            engine.bindNotifier(a -> {
                throw new IllegalStateException("boom");
            });
            healthy.set(0.0);
            scheduler.advance(INTERVAL);
            rule.deactivate();
            scheduler.runDue();

            // then: the other notifier still hears of the firing and of the removal as resolved,
            // and the removed rule's evaluation counter is gone
            assertEquals(List.of(State.FIRING, State.RESOLVED, State.FIRING, State.RESOLVED), states(notified));
            assertTrue(registry.find(AlertEngine.EVALUATIONS_COUNTER).meters().isEmpty());
        } finally {
            engine.deactivate();
        }
        assertTrue(registry.find(AlertEngine.FIRING_GAUGE).meters().isEmpty());
    }

    private static double evaluations(SimpleMeterRegistry registry, String rule) {
        return registry.get(AlertEngine.EVALUATIONS_COUNTER).tag("rule", rule).functionCounter().count();
    }

    private static List<State> states(List<Alert> alerts) {
        return alerts.stream().map(Alert::state).toList();
    }
}
