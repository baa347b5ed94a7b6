package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.neighsyncd.api.engine.EngineHealth;
import net.neighsyncd.api.engine.Phase;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Impact;
import net.neighsyncd.api.health.Problem;
import org.junit.jupiter.api.Test;

class HealthAssessorTest {
    private final HealthAssessor assessor = new HealthAssessor("net.neighsyncd.core");

    private static HealthAssessor.Facts inSync() {
        return new HealthAssessor.Facts(Optional.empty(), true, true, false, false, Optional.empty(), Optional.empty(),
                true);
    }

    @Test
    void inSyncWithNoProblemIsReadyAndHealthy() {
        EngineHealth h = assessor.assess(inSync(), List.of());
        assertEquals(Phase.IN_SYNC, h.phase());
        assertTrue(h.ready());
        assertTrue(h.healthy());
        assertFalse(h.degraded());
    }

    @Test
    void aRejectedConfigurationDegradesButStaysReady() {
        // given
        HealthAssessor.Facts f = new HealthAssessor.Facts(Optional.empty(), true, true, false, false,
                Optional.of(Problem.degraded("net.neighsyncd.core", "configuration rejected: maxBatch=0")),
                Optional.empty(), true);
        // when
        EngineHealth h = assessor.assess(f, List.of());
        // then
        assertTrue(h.ready());
        assertTrue(h.degraded());
        assertFalse(h.healthy());
    }

    @Test
    void anUnrepairedOverflowDegradesButStaysReady() {
        HealthAssessor.Facts f = new HealthAssessor.Facts(Optional.empty(), true, true, true, false, Optional.empty(),
                Optional.empty(), true);
        EngineHealth h = assessor.assess(f, List.of());
        assertTrue(h.ready());
        assertEquals(Set.of(Problem.degraded("net.neighsyncd.core", "netlink overflow: resync not yet complete")),
                h.problems());
    }

    @Test
    void failingWritesAndAMissingSinkTakeReadiness() {
        HealthAssessor.Facts f = new HealthAssessor.Facts(Optional.empty(), true, false, false, true, Optional.empty(),
                Optional.empty(), true);
        EngineHealth h = assessor.assess(f, List.of());
        assertFalse(h.ready());
        assertTrue(h.problems().stream().allMatch(p -> p.impact() == Impact.NOT_READY), h.problems().toString());
        assertEquals(2, h.problems().size());
    }

    @Test
    void aContributorsProblemsAreMergedWithTheirImpact() {
        HealthContributor sink = () -> Set.of(Problem.degraded("net.neighsyncd.redis", "configuration rejected"));
        HealthContributor broken = () -> {
            throw new IllegalStateException("boom");
        };
        EngineHealth h = assessor.assess(inSync(), List.of(sink, broken));
        assertTrue(h.problems().contains(Problem.degraded("net.neighsyncd.redis", "configuration rejected")));
        assertFalse(h.ready(), "a contributor that cannot report its health takes readiness");
    }

    @Test
    void theStartSequenceIsStartingAndNotReady() {
        HealthAssessor.Facts f = new HealthAssessor.Facts(Optional.of("start: reading the warm-restart state"), true,
                true, false, false, Optional.empty(), Optional.empty(), false);
        EngineHealth h = assessor.assess(f, List.of());
        assertEquals(Phase.STARTING, h.phase());
        assertFalse(h.ready());
    }

    @Test
    void afterTheStartAndBeforeTheFirstSyncItIsSyncing() {
        HealthAssessor.Facts f = new HealthAssessor.Facts(Optional.empty(), true, true, false, false, Optional.empty(),
                Optional.empty(), false);
        assertEquals(Phase.SYNCING, assessor.assess(f, List.of()).phase());
    }

    @Test
    void aFatalErrorFailsTheEngineAndTakesLiveness() {
        HealthAssessor.Facts f = new HealthAssessor.Facts(Optional.of("warm restart failed: x"), true, true, false,
                false, Optional.empty(), Optional.of("warm restart failed: x"), false);
        EngineHealth h = assessor.assess(f, List.of());
        assertEquals(Phase.FAILED, h.phase());
        assertEquals("warm restart failed: x", h.fatalReason());
        assertFalse(h.alive());
        assertFalse(h.ready());
    }
}
