package net.neighsyncd.systemd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.SyncStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EnginesProbeTest {
    private final List<SyncEngine> engines = new CopyOnWriteArrayList<>();
    private final EnginesProbe probe = new EnginesProbe(() -> engines, TimeUnit.SECONDS.toNanos(5));
    private final FakeEngine asic0 = new FakeEngine();
    private final FakeEngine asic1 = new FakeEngine();

    @AfterEach
    void close() {
        probe.close();
    }

    @Test
    void aPipelineStillSyncingIsWhatSystemdHearsWhileAnotherIsInSync() {
        // given: asic0 in sync, asic1 still syncing
        SyncStatus syncing = FakeEngine.status(false, 3);
        asic0.set(FakeEngine.status(true, 5));
        asic1.set(syncing);
        engines.addAll(List.of(asic0, asic1));
        // when
        EngineObservation seen = probe.observe();
        // then: the one not ready
        assertSame(syncing, seen.status());
    }

    @Test
    void everyPipelineInSyncIsReady() {
        SyncStatus first = FakeEngine.status(true, 5);
        asic0.set(first);
        asic1.set(FakeEngine.status(true, 7));
        engines.addAll(List.of(asic0, asic1));
        EngineObservation seen = probe.observe();
        assertSame(first, seen.status());
        assertEquals(true, seen.status().health().ready());
    }

    @Test
    void aFailedPipelineBesideALiveOneEndsOnlyItself() {
        // given: asic0 failed (a warm restart), asic1 in sync
        SyncStatus inSync = FakeEngine.status(true, 7);
        asic0.set(FakeEngine.status(true, 0, "warm restart failed: no flag"));
        asic1.set(inSync);
        engines.addAll(List.of(asic0, asic1));
        // when / then: the live one is seen, so the watchdog is fed
        EngineObservation seen = probe.observe();
        assertSame(inSync, seen.status());
        assertEquals(true, seen.live());
    }

    @Test
    void noEngineMeansWaiting() {
        assertEquals("waiting for the sync engine", probe.observe().missing());
    }
}
