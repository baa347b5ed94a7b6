package net.neighsyncd.ha.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.ha.Role;
import net.neighsyncd.api.health.Impact;
import net.neighsyncd.api.health.Problem;
import org.junit.jupiter.api.Test;

/** The component's configuration: validated as a whole, the last good one kept. */
class HighAvailabilityTest {

    /** A {@link HighAvailability.Config} with its defaults, some replaced, as DS would hand it over. */
    private static HighAvailability.Config config(Map<String, Object> overrides) {
        return (HighAvailability.Config) Proxy.newProxyInstance(HighAvailability.Config.class.getClassLoader(),
                new Class<?>[] {HighAvailability.Config.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return HighAvailability.Config.class;
                    }
                    return overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    @Test
    void aConfigurationBreakingTheOrderOfItsTimesIsRejectedAndTheLastGoodOneStays() throws Exception {
        // given: a running component (no lease store yet: it stands by)
        HighAvailability ha = new HighAvailability();
        ha.activate(null, config(Map.of("ttlMillis", 6000L, "renewMillis", 2000L)));
        try {
            // when: a renewal less often than three times a lease's life
            ha.modified(config(Map.of("ttlMillis", 6000L, "renewMillis", 2500L, "streamMaxLength", 10L)));
            // then: one problem naming both faults, and the last good times in force
            Set<Problem> problems = ha.problems();
            Problem rejected = problems.stream().filter(p -> p.reason().startsWith("configuration rejected"))
                    .findFirst().orElseThrow(() -> new AssertionError(problems.toString()));
            assertEquals(Impact.DEGRADED, rejected.impact());
            assertTrue(rejected.reason().contains("streamMaxLength=10 is outside 1000..10000000"), rejected.reason());
            assertTrue(rejected.reason().contains("renewMillis=2500 must be at most a third of ttlMillis=6000"),
                    rejected.reason());
            assertEquals(new LeaseSettings(6000, 2000, 0), ha.keeper().settings());
            assertEquals(Role.STANDBY, ha.role());
            // and a good one clears the problem
            ha.modified(config(Map.of("ttlMillis", 9000L, "renewMillis", 3000L)));
            assertEquals(new LeaseSettings(9000, 3000, 0), ha.keeper().settings());
            assertTrue(ha.problems().stream().noneMatch(p -> p.reason().startsWith("configuration rejected")));
        } finally {
            ha.deactivate();
        }
    }
}
