package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.api.watch.AppliedChange;
import net.neighsyncd.api.watch.ChangeFeed;
import net.neighsyncd.api.watch.FeedRead;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.ResetReason;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.watch.WatchSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's watch, wired by hand as DS would, with an in-memory APPL_DB sink that can hold a write. */
class AppliedWatchTest {
    private final SyncEngineComponent engine = new SyncEngineComponent();
    private final RecordingSink applDb = new RecordingSink();
    private final CapturingSource source = new CapturingSource();

    private static NeighborMessage neighbor(String ifname, String ip, String mac) {
        IpAddress a = IpAddress.parse(ip);
        return new NeighborMessage(false, a.family().addressFamily(), 2, ifname, a,
                mac == null ? null : MacAddress.parse(mac), NudState.PERMANENT, 0);
    }

    private static NeighborMessage gone(String ifname, String ip) {
        IpAddress a = IpAddress.parse(ip);
        return new NeighborMessage(true, a.family().addressFamily(), 2, ifname, a, null, NudState.PERMANENT, 0);
    }

    @BeforeEach
    void activeEngineAfterItsFirstDump() throws Exception {
        FirstDump.of(engine, applDb, source, neighbor("Ethernet10", "10.0.0.1", "02:00:00:00:00:01"));
    }

    @AfterEach
    void deactivate() throws Exception {
        applDb.gate.countDown();
        engine.deactivate();
    }

    private WatchSnapshot snapshot(NeighborSelector selector, NeighborKey after, int limit) {
        return engine.snapshot(selector, after, limit, 10, TimeUnit.SECONDS).orElseThrow();
    }

    @Test
    void aSnapshotHoldsWhatTheSinkAcknowledgedNotWhatIsOnItsWay() throws Exception {
        // given a write the sink holds
        applDb.gate = new CountDownLatch(1);
        source.handler.onNeighbor(neighbor("Ethernet10", "10.0.0.2", "02:00:00:00:00:02"));
        assertTrue(applDb.entered.tryAcquire(10, TimeUnit.SECONDS));
        // when
        WatchSnapshot before = snapshot(NeighborSelector.ALL, null, 100);
        applDb.gate.countDown();
        ChangeFeed feed = engine.follow(before.position());
        List<AppliedChange> next = assertInstanceOf(FeedRead.Changes.class, feed.next(10, 10, TimeUnit.SECONDS))
                .changes();
        // then the held write is not in the snapshot, and is the feed's first change
        assertEquals(List.of("Ethernet10:10.0.0.1"), keys(before.entries()));
        assertEquals(1, before.position().revision());
        assertEquals(2, next.get(0).revision());
        assertEquals("SET Ethernet10:10.0.0.2 neigh=02:00:00:00:00:02 family=IPv4", next.get(0).change().toString());
    }

    @Test
    void aSnapshotFollowedByTheFeedEndsEqualToTheSink() throws Exception {
        // given a follower that starts while changes stream
        for (int i = 2; i < 200; i++) {
            source.handler.onNeighbor(neighbor("Ethernet" + i % 7, "10.0.1." + i, "02:00:00:00:01:" + hex(i)));
        }
        WatchSnapshot snap = snapshot(NeighborSelector.ALL, null, Integer.MAX_VALUE);
        ChangeFeed feed = engine.follow(snap.position());
        for (int i = 2; i < 200; i += 3) {
            source.handler.onNeighbor(gone("Ethernet" + i % 7, "10.0.1." + i));
            source.handler.onNeighbor(neighbor("Ethernet" + (i + 1) % 7, "10.0.1." + (i + 1), "02:00:00:00:02:01"));
        }
        source.handler.onNeighbor(neighbor("Ethernet99", "10.9.9.9", "02:00:00:00:09:09"));
        // when the follower applies every change up to the last one
        Map<NeighborKey, NeighborRecord> follower = new HashMap<>();
        snap.entries().forEach(e -> follower.put(e.record().key(), e.record()));
        long revision = snap.position().revision();
        NeighborKey last = new NeighborKey("Ethernet99", IpAddress.parse("10.9.9.9"));
        while (!follower.containsKey(last)) {
            List<AppliedChange> read = assertInstanceOf(FeedRead.Changes.class, feed.next(100, 10, TimeUnit.SECONDS))
                    .changes();
            assertFalse(read.isEmpty(), "no change numbered within 10 s; the follower holds " + follower.size());
            for (AppliedChange c : read) {
                assertEquals(++revision, c.revision());
                if (c.change().op() == NeighborChange.Op.SET) {
                    follower.put(c.change().key(), c.change().record());
                } else {
                    follower.remove(c.change().key());
                }
            }
        }
        // then it holds what the sink was given, change by change
        Map<NeighborKey, NeighborRecord> sink = new HashMap<>();
        for (NeighborChange c : applDb.all()) {
            if (c.op() == NeighborChange.Op.SET) {
                sink.put(c.key(), c.record());
            } else {
                sink.remove(c.key());
            }
        }
        assertEquals(sink, follower);
    }

    @Test
    void aSnapshotPagesInInterfaceNameOrderAndSaysWhetherMoreFollow() throws Exception {
        // given
        source.handler.onNeighbor(neighbor("Ethernet2", "10.0.0.3", "02:00:00:00:00:03"));
        source.handler.onNeighbor(neighbor("Ethernet2", "fc00::3", "02:00:00:00:00:04"));
        Wait.until(() -> engine.position().revision() == 3);
        // when
        WatchSnapshot first = snapshot(NeighborSelector.ALL, null, 2);
        WatchSnapshot second = snapshot(NeighborSelector.ALL, first.entries().get(1).record().key(), 2);
        // then
        assertEquals(List.of("Ethernet2:10.0.0.3", "Ethernet2:fc00::3"), keys(first.entries()));
        assertTrue(first.more());
        assertEquals(List.of("Ethernet10:10.0.0.1"), keys(second.entries()));
        assertFalse(second.more());
    }

    @Test
    void aSnapshotListsOnlyWhatTheSelectorAccepts() throws Exception {
        // given
        source.handler.onNeighbor(neighbor("Ethernet2", "fc00::3", "0a:00:00:00:00:04"));
        Wait.until(() -> engine.position().revision() == 2);
        // when
        WatchSnapshot byMac = snapshot(new NeighborSelector(null, null, null, "0A:00", null), null, 10);
        WatchSnapshot byName = snapshot(new NeighborSelector("Ethernet10", null, "default", null, null), null, 10);
        // then
        assertEquals(List.of("Ethernet2:fc00::3"), keys(byMac.entries()));
        assertEquals(List.of("Ethernet10:10.0.0.1"), keys(byName.entries()));
    }

    @Test
    void aDeleteIsNumberedAndLeavesTheSnapshot() throws Exception {
        // given
        ChangeFeed feed = engine.follow(engine.position());
        // when
        source.handler.onNeighbor(gone("Ethernet10", "10.0.0.1"));
        // then
        List<AppliedChange> read = assertInstanceOf(FeedRead.Changes.class, feed.next(10, 10, TimeUnit.SECONDS))
                .changes();
        assertEquals("DEL Ethernet10:10.0.0.1", read.get(0).change().toString());
        assertEquals(List.of(), snapshot(NeighborSelector.ALL, null, 10).entries());
    }

    @Test
    void aFeedOfTheEnginesLastStartIsResetAfterTheEngineStops() throws Exception {
        // given
        ChangeFeed feed = engine.follow(engine.position());
        // when
        engine.deactivate();
        engine.start(EngineConfigs.of(Map.of()));
        // then
        assertEquals(ResetReason.STOPPED, assertInstanceOf(FeedRead.Reset.class, feed.next(1, 0, TimeUnit.SECONDS))
                .reason());
        assertEquals(ResetReason.OTHER_HISTORY, assertInstanceOf(FeedRead.Reset.class,
                engine.follow(feed.position()).next(1, 0, TimeUnit.SECONDS)).reason());
    }

    private static String hex(int i) {
        return String.format("%02x", i);
    }

    private static List<String> keys(List<WatchEntry> entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.record().key().toString()));
        return out;
    }
}
