package net.neighsyncd.alerting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import net.neighsyncd.api.Alert;
import net.neighsyncd.api.Alert.State;
import org.junit.jupiter.api.Test;

class AlertEngineTest {

    @Test
    void firesResolvesNotifiesAndCountsFiringBySeverity() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<Double> healthy = new AtomicReference<>(1.0);
        Gauge.builder("neighsyncd.healthy", healthy, AtomicReference::get).register(registry);
        AlertEngine engine = new AlertEngine();
        List<Alert> notified = new CopyOnWriteArrayList<>();
        engine.bindRegistry(registry);
        engine.bindNotifier(notified::add);
        engine.activate();
        try {
            AlertRule rule = new AlertRule(engine);
            Map<String, Object> config = new HashMap<>(Map.of("service.pid", "net.neighsyncd.alert.rule~t",
                    "name", "t", "meter", "neighsyncd.healthy", "condition", "below", "threshold", "0.5",
                    "forSeconds", "0", "intervalMillis", "100", "severity", "critical"));
            rule.activate(config);
            Thread.sleep(300);
            assertEquals(List.of(), engine.active());

            healthy.set(0.0);
            waitFor(() -> notified.size() == 1);
            assertEquals(State.FIRING, notified.get(0).state());
            assertEquals(State.FIRING, engine.active().get(0).state());
            assertEquals(1.0, registry.get(AlertEngine.FIRING_GAUGE).tag("severity", "critical").gauge().value());
            assertEquals(0.0, registry.get(AlertEngine.FIRING_GAUGE).tag("severity", "warning").gauge().value());

            // an invalid change is rejected, the last good configuration stays
            RuleSpec good = rule.current();
            config.put("hysteresis", "-1");
            rule.modified(config);
            assertEquals(good, rule.current());

            healthy.set(1.0);
            waitFor(() -> notified.size() == 2);
            assertEquals(State.RESOLVED, notified.get(1).state());
            assertEquals(List.of(), engine.active());
            assertEquals(0.0, registry.get(AlertEngine.FIRING_GAUGE).tag("severity", "critical").gauge().value());

            // a notifier that throws does not stop the others
            engine.bindNotifier(a -> {
                throw new IllegalStateException("boom");
            });
            healthy.set(0.0);
            waitFor(() -> notified.size() == 3);
            rule.deactivate();
            waitFor(() -> notified.size() == 4);
            assertEquals(State.RESOLVED, notified.get(3).state());
        } finally {
            engine.deactivate();
        }
        assertTrue(registry.find(AlertEngine.FIRING_GAUGE).meters().isEmpty());
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
