package net.neighsyncd.tracing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.metrics.MeterSpec;
import net.neighsyncd.api.tracing.BatchTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The component's life as DS drives it, with a bundle context that only records the tracer's
 * registration (the real framework is in itests): the tracer is registered only while an endpoint
 * is configured, and a rejected configuration leaves the last good one in force.
 */
class OtlpTracingTest {
    private static final String ENDPOINT = "http://127.0.0.1:4318/v1/traces";

    private final OtlpTracing tracing = new OtlpTracing();
    /** The tracer registered now, null when none. */
    private volatile Object registered;
    private int registrations;

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    assertEquals(BatchTracer.class, args[0]);
                    registered = args[1];
                    registrations++;
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                            (p, m, a) -> {
                                if (m.getName().equals("unregister")) {
                                    registered = null;
                                    return null;
                                }
                                throw new UnsupportedOperationException(m.getName());
                            });
                });
    }

    @AfterEach
    void deactivate() {
        tracing.deactivate();
    }

    @Test
    void withoutAnEndpointNoTracerIsRegistered() {
        tracing.activate(context(), TracingConfigs.of(Map.of()));
        assertNull(registered);
        assertEquals(0.0, meter("neighsyncd.tracing.enabled"));
        assertEquals(Set.of(), tracing.problems());
    }

    @Test
    void anEndpointRegistersTheTracerAndClearingItUnregistersIt() {
        // when
        tracing.activate(context(), TracingConfigs.of(Map.of("endpoint", ENDPOINT)));
        // then
        assertNotNull(registered);
        assertEquals(1.0, meter("neighsyncd.tracing.enabled"));
        // and when another valid configuration comes, the same tracer stays registered
        Object first = registered;
        tracing.modified(TracingConfigs.of(Map.of("endpoint", ENDPOINT, "neighborSampleRatio", 0.5)));
        assertSame(first, registered);
        assertEquals(1, registrations);
        // and when the endpoint is cleared, it goes
        tracing.modified(TracingConfigs.of(Map.of()));
        assertNull(registered);
        assertEquals(0.0, meter("neighsyncd.tracing.enabled"));
    }

    @Test
    void aRejectedConfigurationIsADegradedProblemAndTheLastGoodOneStays() {
        // given
        tracing.activate(context(), TracingConfigs.of(Map.of("endpoint", ENDPOINT)));
        // when
        tracing.modified(TracingConfigs.of(Map.of("endpoint", ENDPOINT, "neighborSampleRatio", 2.0)));
        // then
        assertEquals(Set.of(Problem.degraded("net.neighsyncd.tracing",
                "configuration rejected, the last good one is in force: neighborSampleRatio=2.0: not from 0 to 1")),
                tracing.problems());
        assertNotNull(registered, "tracing stays on");
        // and when a valid one comes, the problem goes
        tracing.modified(TracingConfigs.of(Map.of("endpoint", ENDPOINT)));
        assertEquals(Set.of(), tracing.problems());
    }

    @Test
    void aRejectedFirstConfigurationLeavesTracingOff() {
        tracing.activate(context(), TracingConfigs.of(Map.of("endpoint", "ftp://127.0.0.1/")));
        assertNull(registered);
        assertTrue(tracing.problems().iterator().next().reason().contains("endpoint=ftp://127.0.0.1/"));
    }

    private double meter(String name) {
        List<MeterSpec> meters = tracing.meters();
        return meters.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().value().getAsDouble();
    }
}
