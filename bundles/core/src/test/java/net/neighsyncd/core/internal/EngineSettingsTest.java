package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of the engine's configuration: every rejection names the key and the reason. */
class EngineSettingsTest {

    private static EngineConfig config(Map<String, Object> overrides) {
        return EngineConfigs.of(overrides);
    }

    @Test
    void acceptsTheDefaults() {
        assertEquals(List.of(), EngineSettings.problems(config(Map.of())));
    }

    @Test
    void rejectsAMalformedIgnorePatternNamingKeyAndReason() {
        List<String> p = EngineSettings.problems(config(Map.of("ignoreInterfaces", "Ethernet[0")));
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("ignoreInterfaces=Ethernet[0 is not a regular expression"), p.get(0));
    }

    @Test
    void rejectsUnknownModesAndFamilies() {
        List<String> p = EngineSettings.problems(config(Map.of("dualTorMode", "maybe", "linkLocalMode", "sometimes",
                "families", "IPv5")));
        assertEquals(3, p.size(), p.toString());
    }

    @Test
    void rejectsNoFamilyAtAll() {
        assertEquals(1, EngineSettings.problems(config(Map.of("families", ""))).size());
    }

    @Test
    void requiresTheMaximumRetryDelayToBeAtLeastTheFirst() {
        List<String> p = EngineSettings.problems(config(Map.of("retryInitialMillis", 2000L, "retryMaxMillis", 1000L)));
        assertEquals(List.of("retryMaxMillis=1000 must be at least retryInitialMillis=2000"), p);
    }

    @Test
    void requiresTheRestoreWaitToExceedTheKernelRestoreTimeout() {
        assertEquals(1, EngineSettings.problems(config(Map.of("restoreWaitSeconds", 110L))).size());
        assertEquals(List.of(), EngineSettings.problems(config(Map.of("restoreWaitSeconds", 30L)), 20));
    }

    @Test
    void buildsThePolicyFromTheConfiguration() {
        EngineSettings s = EngineSettings.of(config(Map.of("dualTorMode", "on", "linkLocalMode", "never",
                "ignoreInterfaces", "eth0", "families", "IPv6")));
        assertEquals("dualTorMode=on linkLocalMode=never ignoreInterfaces=eth0 families=[IPV6]", s.policy().toString());
    }

}
