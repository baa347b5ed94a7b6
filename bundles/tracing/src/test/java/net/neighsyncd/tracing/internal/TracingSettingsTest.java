package net.neighsyncd.tracing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a tracing configuration may hold, and how a rejection names what is wrong. */
class TracingSettingsTest {

    @Test
    void theDefaultsAreValidAndTracingOff() {
        TracingSettings s = TracingConfigs.settings(Map.of());
        assertFalse(s.enabled());
        assertEquals(new TracingSettings("", "neighsyncd", 0, 10_000, 2048, 512), s);
    }

    @Test
    void anHttpOrHttpsEndpointTurnsTracingOnAndIsTakenWithoutSurroundingBlanks() {
        assertTrue(TracingConfigs.settings(Map.of("endpoint", " http://127.0.0.1:4318/v1/traces ")).enabled());
        assertEquals("https://collector.example:4318/v1/traces",
                TracingConfigs.settings(Map.of("endpoint", "https://collector.example:4318/v1/traces")).endpoint());
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRejectedWithItsValue() {
        assertEquals("endpoint=grpc://127.0.0.1:4317: not an http or https URL", reject(Map.of("endpoint",
                "grpc://127.0.0.1:4317")));
        assertEquals("endpoint=127.0.0.1:4318: not a URL (Illegal character in scheme name)", reject(Map.of("endpoint", "127.0.0.1:4318")));
        assertEquals("endpoint=http:///v1/traces: no host", reject(Map.of("endpoint", "http:///v1/traces")));
    }

    @Test
    void aSampleRatioOutsideZeroToOneIsRejected() {
        assertEquals("neighborSampleRatio=2.0: not from 0 to 1", reject(Map.of("neighborSampleRatio", 2.0)));
        assertEquals("neighborSampleRatio=-0.1: not from 0 to 1", reject(Map.of("neighborSampleRatio", -0.1)));
        assertEquals("neighborSampleRatio=NaN: not from 0 to 1", reject(Map.of("neighborSampleRatio", Double.NaN)));
    }

    @Test
    void anExportBatchLargerThanTheQueueIsRejectedNamingBoth() {
        assertEquals("maxExportBatchSize=600: not from 1 to maxQueueSize (500)",
                reject(Map.of("maxQueueSize", 500, "maxExportBatchSize", 600)));
    }

    @Test
    void everyProblemIsNamedInOneMessage() {
        assertEquals("serviceName is empty; exportTimeoutMillis=0: not from 1 to 600000; maxQueueSize=0: not from 1 "
                + "to 1000000; maxExportBatchSize=512: not from 1 to maxQueueSize (0)",
                reject(Map.of("serviceName", " ", "exportTimeoutMillis", 0L, "maxQueueSize", 0)));
    }

    private static String reject(Map<String, Object> overrides) {
        return assertThrows(IllegalArgumentException.class, () -> TracingConfigs.settings(overrides)).getMessage();
    }
}
