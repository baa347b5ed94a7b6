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
    void givenAMinimumBatchAboveTheMaximumWhenValidatedThenTheOrderIsNamed() {
        List<String> p = EngineSettings.problems(config(Map.of("minBatch", 600, "maxBatch", 500)));
        assertEquals(List.of("minBatch=600 must be at most maxBatch=500"), p);
    }

    @Test
    void givenALingerAsLongAsTheLatencyTargetWhenValidatedThenItIsRejected() {
        List<String> p = EngineSettings.problems(config(Map.of("latencyTargetMillis", 3L, "maxLingerMicros", 3_000L)));
        assertEquals(List.of("maxLingerMicros=3000 must be shorter than latencyTargetMillis=3 (3000 µs)"), p);
        assertEquals(List.of(), EngineSettings.problems(config(Map.of("latencyTargetMillis", 3L,
                "maxLingerMicros", 2_999L))));
    }

    @Test
    void givenALatencyTargetOutOfRangeWhenValidatedThenTheRangeIsNamed() {
        assertEquals(List.of("latencyTargetMillis=0 is outside 1..60000"),
                EngineSettings.problems(config(Map.of("latencyTargetMillis", 0L, "maxLingerMicros", 0L))));
        assertEquals(List.of("latencyTargetMillis=60001 is outside 1..60000"),
                EngineSettings.problems(config(Map.of("latencyTargetMillis", 60_001L))));
    }

    @Test
    void givenTheDefaultsWhenBuiltThenTheAutoTunerIsOnWithATwoMillisecondTargetAndNoLinger() {
        EngineSettings s = EngineSettings.of(config(Map.of()));
        assertEquals(new SinkWriter.AutoTune(true, 1, 2, 0), s.writer().autoTune());
        assertEquals(EngineSettings.DEFAULTS.writer(), s.writer());
    }

    @Test
    void givenTheAutoTunerOffWhenBuiltThenTheWriterKeepsTheFixedBatch() {
        EngineSettings s = EngineSettings.of(config(Map.of("autoTune", false, "maxBatch", 700)));
        assertEquals(false, s.writer().autoTune().enabled());
        assertEquals(700, s.writer().maxBatch());
    }

    @Test
    void buildsThePolicyFromTheConfiguration() {
        EngineSettings s = EngineSettings.of(config(Map.of("dualTorMode", "on", "linkLocalMode", "never",
                "ignoreInterfaces", "eth0", "families", "IPv6")));
        assertEquals("dualTorMode=on linkLocalMode=never ignoreInterfaces=eth0 families=[IPV6]", s.policy().toString());
    }

}
