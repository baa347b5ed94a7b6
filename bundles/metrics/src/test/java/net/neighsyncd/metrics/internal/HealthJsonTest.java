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

    @Test
    void withSeveralPipelinesReadyNeedsEveryOneAndLiveAnyOneEachProblemNamedByItsNamespace() {
        // given: asic0 failed, asic1 in sync
        java.util.Map<String, net.neighsyncd.api.engine.SyncStatus> statuses = new java.util.TreeMap<>();
        statuses.put("asic0", net.neighsyncd.testsupport.SyncStatusBuilder.inSync().failed("warm restart failed: no flag")
                .build());
        statuses.put("asic1", net.neighsyncd.testsupport.SyncStatusBuilder.inSync().build());
        // when
        HealthServlet.Answer ready = HealthServlet.readyOfAll(statuses);
        HealthServlet.Answer live = HealthServlet.liveOfAll(statuses);
        // then
        assertEquals(503, ready.status());
        org.junit.jupiter.api.Assertions.assertTrue(ready.json().contains("namespace asic0: "), ready.json());
        org.junit.jupiter.api.Assertions.assertFalse(ready.json().contains("namespace asic1: "), ready.json());
        assertEquals(200, live.status(), live.json());
    }
}
