package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import net.neighsyncd.api.health.Impact;
import net.neighsyncd.api.health.Problem;
import org.junit.jupiter.api.Test;

class ConfigGateTest {
    private final AtomicReference<OptionalInt> restoreTimeout = new AtomicReference<>(OptionalInt.of(110));
    private final LongAdder rejections = new LongAdder();
    private final ConfigGate gate = new ConfigGate("net.neighsyncd.core", restoreTimeout::get, rejections);

    @Test
    void takesAValidConfiguration() {
        // when
        var taken = gate.offer(EngineConfigs.of(Map.of("maxBatch", 7)));
        // then
        assertTrue(taken.isPresent());
        assertEquals(7, gate.settings().writer().maxBatch());
        assertTrue(gate.problem().isEmpty());
    }

    @Test
    void rejectsAnInvalidValueKeepsTheLastGoodOneAndReportsDegraded() {
        // given
        gate.offer(EngineConfigs.of(Map.of("maxBatch", 7)));
        // when
        var taken = gate.offer(EngineConfigs.of(Map.of("maxBatch", 0)));
        // then
        assertTrue(taken.isEmpty());
        assertEquals(7, gate.settings().writer().maxBatch(), "the last good settings stay in force");
        assertEquals(1, rejections.sum());
        Problem p = gate.problem().orElseThrow();
        assertEquals(Impact.DEGRADED, p.impact(), "the daemon syncs on with the last good one");
        assertEquals("net.neighsyncd.core", p.component());
        assertTrue(p.reason().contains("maxBatch=0 is outside 1..100000"), p.reason());
    }

    @Test
    void givenAnAutoTunedConfigurationWhenALatencyTargetOutOfRangeIsOfferedThenItIsRejectedAndCounted() {
        // given
        gate.offer(EngineConfigs.of(Map.of("latencyTargetMillis", 5L)));
        // when
        var taken = gate.offer(EngineConfigs.of(Map.of("latencyTargetMillis", 0L)));
        // then
        assertTrue(taken.isEmpty());
        assertEquals(5, gate.settings().writer().autoTune().latencyTargetMillis(), "the last good target stays");
        assertEquals(1, rejections.sum());
        assertTrue(gate.problem().orElseThrow().reason().contains("latencyTargetMillis=0 is outside 1..60000"),
                gate.problem().orElseThrow().reason());
    }

    @Test
    void aGoodConfigurationClearsTheRejection() {
        gate.offer(EngineConfigs.of(Map.of("maxBatch", 0)));
        gate.offer(EngineConfigs.of(Map.of("maxBatch", 9)));
        assertTrue(gate.problem().isEmpty());
        assertEquals(9, gate.settings().writer().maxBatch());
    }

    @Test
    void rejectsARestoreWaitNotLongerThanTheKernelRestoreTimeout() {
        // given a kernel restore bounded at 200 s
        restoreTimeout.set(OptionalInt.of(200));
        // when
        var taken = gate.offer(EngineConfigs.of(Map.of("restoreWaitSeconds", 180L)));
        // then
        assertTrue(taken.isEmpty());
        assertTrue(gate.problem().orElseThrow().reason().contains("must be longer than the kernel restore timeout (200 s)"),
                gate.problem().toString());
    }

    @Test
    void checksTheOrderAgainWhenTheKernelRestoreTimeoutChanges() {
        // given a configuration valid against SONiC's 110 s
        gate.offer(EngineConfigs.of(Map.of("restoreWaitSeconds", 180L)));
        assertTrue(gate.problem().isEmpty());
        // when a kernel restore with a longer bound arrives
        restoreTimeout.set(OptionalInt.of(300));
        var taken = gate.recheck();
        // then the configuration no longer holds
        assertTrue(taken.isEmpty());
        assertEquals(Impact.DEGRADED, gate.problem().orElseThrow().impact());
    }

    @Test
    void takesAConfigurationWhileTheRestoreBoundIsUnknownAndChecksTheOrderOnceItIsKnown() {
        // given no kernel restore known yet: the order cannot be checked, the rest is
        restoreTimeout.set(OptionalInt.empty());
        var taken = gate.offer(EngineConfigs.of(Map.of("restoreWaitSeconds", 3L)));
        assertTrue(taken.isPresent(), "no rejection for a bound nobody knows yet");
        assertEquals(3, gate.settings().restoreWaitSeconds());
        assertTrue(gate.problem().isEmpty());
        // when the bound becomes known and the wait is not longer
        restoreTimeout.set(OptionalInt.of(110));
        var after = gate.recheck();
        // then the configuration is rejected and the last settings checked in full are in force
        assertEquals(180, after.orElseThrow().restoreWaitSeconds());
        assertEquals(180, gate.settings().restoreWaitSeconds());
        assertEquals(Impact.DEGRADED, gate.problem().orElseThrow().impact());
    }

    @Test
    void aRejectedValueKeepsTheLastAcceptedConfigurationWhileTheBoundIsUnknown() {
        // given a configuration taken before the restore's bound is known
        restoreTimeout.set(OptionalInt.empty());
        gate.offer(EngineConfigs.of(Map.of("ignoreInterfaces", "Ethernet4")));
        // when an invalid value follows
        var taken = gate.offer(EngineConfigs.of(Map.of("ignoreInterfaces", "Ethernet[4")));
        // then it is rejected and the last accepted one stays in force, not the defaults
        assertTrue(taken.isEmpty());
        assertEquals("Ethernet4", gate.settings().policy().ignore().pattern());
        assertEquals(Impact.DEGRADED, gate.problem().orElseThrow().impact());
    }

    @Test
    void aWaitLongerThanTheBoundOnceKnownStaysInForce() {
        restoreTimeout.set(OptionalInt.empty());
        gate.offer(EngineConfigs.of(Map.of("restoreWaitSeconds", 3L)));
        restoreTimeout.set(OptionalInt.of(2));
        gate.recheck();
        assertEquals(3, gate.settings().restoreWaitSeconds());
        assertTrue(gate.problem().isEmpty());
    }
}
