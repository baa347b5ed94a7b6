package net.neighsyncd.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The health bodies, byte for byte as probes have always been sent them. */
class HealthJsonTest {
    @Test
    void aBodyWithoutInitialSyncDoneLeavesTheFieldOut() {
        assertEquals("{\"status\":\"UP\",\"problems\":[]}", HealthServlet.json("UP", null, null, List.of()));
    }

    @Test
    void problemsAreWrittenInTheirOrder() {
        assertEquals("{\"status\":\"DOWN\",\"initialSyncDone\":false,\"degraded\":true,\"problems\":[\"b\",\"a\"]}",
                HealthServlet.json("DOWN", false, true, List.of("b", "a")));
    }

    @Test
    void htmlCharactersInAProblemAreNotEscaped() {
        assertEquals("{\"status\":\"DOWN\",\"problems\":[\"queue <full> & 'stuck' = yes\"]}",
                HealthServlet.json("DOWN", null, null, List.of("queue <full> & 'stuck' = yes")));
    }

    @Test
    void controlCharactersInAProblemAreEscaped() {
        assertEquals("{\"status\":\"DOWN\",\"problems\":[\"a\\nb\\t\\u0001\"]}",
                HealthServlet.json("DOWN", null, null, List.of("a\nb\t\u0001")));
    }
}
