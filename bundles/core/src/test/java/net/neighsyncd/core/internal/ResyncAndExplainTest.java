package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.NeighborExplanation;
import net.neighsyncd.api.engine.NeighborExplanation.Disposition;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.engine.ResyncProgress;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Numbered resyncs and the per-key explanation, on the engine wired by hand as DS would. */
class ResyncAndExplainTest {
    private final SyncEngineComponent engine = new SyncEngineComponent();
    private final RecordingSink applDb = new RecordingSink();
    private final CapturingSource source = new CapturingSource();

    private static NeighborMessage neighbor(String ip, String mac, int state) {
        IpAddress a = IpAddress.parse(ip);
        return new NeighborMessage(false, a.family().addressFamily(), 2, "Ethernet0", a,
                mac == null ? null : MacAddress.parse(mac), state, 0);
    }

    private static NeighborKey key(String ip) {
        return new NeighborKey("Ethernet0", IpAddress.parse(ip));
    }

    @BeforeEach
    void activeEngineAfterItsFirstDump() throws Exception {
        FirstDump.of(engine, applDb, source, neighbor("10.0.0.1", "02:00:00:00:00:01", NudState.PERMANENT),
                neighbor("10.0.0.2", "02:00:00:00:00:02", NudState.PERMANENT));
    }

    @AfterEach
    void deactivate() throws Exception {
        applDb.gate.countDown();
        engine.deactivate();
    }

    @Test
    void aResyncWaitsForItsDumpAndCountsTheWritesItCaused() throws Exception {
        // given
        int dumpsBefore = source.dumpsRequested.get();
        // when
        ResyncProgress asked = engine.requestResync("test");
        // then it asked the source for a dump, and waits for it
        assertEquals(ResyncProgress.State.WAITING, asked.state());
        assertEquals(dumpsBefore + 1, source.dumpsRequested.get());
        // when the dump runs: one neighbor changed its MAC, one is gone
        source.handler.onDumpStarted();
        source.handler.onNeighbor(neighbor("10.0.0.1", "02:00:00:00:00:11", NudState.PERMANENT));
        Wait.until(() -> engine.resyncProgress(asked.id()).orElseThrow().state() == ResyncProgress.State.RUNNING);
        source.handler.onDumpCompleted();
        // then it is done, with one set and one delete
        Wait.until(() -> engine.resyncProgress(asked.id()).orElseThrow().state() == ResyncProgress.State.DONE);
        ResyncProgress done = engine.resyncProgress(asked.id()).orElseThrow();
        assertEquals(1, done.changesSet());
        assertEquals(1, done.changesDeleted());
        assertEquals("test", done.requester());
        assertTrue(!done.completed().isBefore(done.started()) && !done.started().isBefore(done.requested()));
    }

    @Test
    void aResyncOfATableInSyncWritesNothing() throws Exception {
        // when
        ResyncProgress asked = engine.requestResync("test");
        source.handler.onDumpStarted();
        source.handler.onNeighbor(neighbor("10.0.0.1", "02:00:00:00:00:01", NudState.PERMANENT));
        source.handler.onNeighbor(neighbor("10.0.0.2", "02:00:00:00:00:02", NudState.PERMANENT));
        source.handler.onDumpCompleted();
        // then
        Wait.until(() -> engine.resyncProgress(asked.id()).orElseThrow().state() == ResyncProgress.State.DONE);
        assertEquals(0, engine.resyncProgress(asked.id()).orElseThrow().changesSet());
        assertEquals(0, engine.resyncProgress(asked.id()).orElseThrow().changesDeleted());
    }

    @Test
    void aResyncWithoutASourceFails() throws Exception {
        // given
        engine.unbindSource(source);
        // when
        ResyncProgress asked = engine.requestResync("test");
        // then
        assertEquals(ResyncProgress.State.FAILED, asked.state());
        assertTrue(engine.resyncProgress(asked.id() + 1).isEmpty());
    }

    @Test
    void explainsASyncedNeighborAsWrittenAndAcknowledged() {
        NeighborExplanation e = engine.explain(key("10.0.0.1")).orElseThrow();
        assertEquals(Disposition.SYNCED, e.disposition());
        assertEquals(MacAddress.parse("02:00:00:00:00:01"), e.desired());
        assertEquals(e.desired(), e.acknowledged());
        assertFalse(e.pending());
        assertEquals(NudState.PERMANENT, e.kernel().state());
    }

    @Test
    void explainsAWriteOnItsWayAsPending() throws Exception {
        // given a write the sink holds
        applDb.gate = new CountDownLatch(1);
        source.handler.onNeighbor(neighbor("10.0.0.1", "02:00:00:00:00:21", NudState.PERMANENT));
        assertTrue(applDb.entered.tryAcquire(10, TimeUnit.SECONDS));
        // when
        NeighborExplanation e = engine.explain(key("10.0.0.1")).orElseThrow();
        // then
        assertTrue(e.pending());
        assertEquals(MacAddress.parse("02:00:00:00:00:21"), e.applied());
        assertEquals(MacAddress.parse("02:00:00:00:00:01"), e.acknowledged());
    }

    @Test
    void explainsWhyARuleDropsOrIgnoresANeighbor() throws Exception {
        // given
        engine.reconfigure(EngineConfigs.of(Map.of("families", "IPv4")));
        source.handler.onNeighbor(neighbor("fc00::1", "02:00:00:00:00:41", NudState.REACHABLE));
        source.handler.onNeighbor(neighbor("10.0.0.5", "ff:ff:ff:ff:ff:ff", NudState.REACHABLE));
        source.handler.onNeighbor(neighbor("10.0.0.3", null, NudState.INCOMPLETE));
        // when
        Wait.until(() -> engine.explain(key("10.0.0.3")).orElseThrow().kernel() != null);
        NeighborExplanation disabled = engine.explain(key("fc00::1")).orElseThrow();
        NeighborExplanation broadcast = engine.explain(key("10.0.0.5")).orElseThrow();
        NeighborExplanation unresolved = engine.explain(key("10.0.0.3")).orElseThrow();
        NeighborExplanation unknown = engine.explain(key("10.0.0.4")).orElseThrow();
        // then
        assertEquals(Disposition.DROPPED, disabled.disposition());
        assertEquals(DropReason.FAMILY_DISABLED, disabled.reason());
        assertEquals(Disposition.IGNORED, broadcast.disposition());
        assertEquals(DropReason.MAC_BROADCAST, broadcast.reason());
        assertNull(broadcast.acknowledged());
        assertEquals(Disposition.DELETED, unresolved.disposition());
        assertEquals(Disposition.NOT_IN_KERNEL, unknown.disposition());
        assertNull(unknown.kernel());
    }
}
