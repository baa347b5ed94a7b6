package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import net.neighsyncd.api.engine.ResyncProgress;
import net.neighsyncd.api.engine.ResyncProgress.State;
import org.junit.jupiter.api.Test;

class ResyncTrackerTest {
    private final ResyncTracker tracker = new ResyncTracker();
    private final Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void aRequestMadeAfterADumpStartedWaitsForTheNextDump() {
        // given a dump that started at 100, and a request at 150
        ResyncProgress early = tracker.request("a", 50, now);
        tracker.dumpStarted(100, now, 0, 0);
        ResyncProgress late = tracker.request("b", 150, now);
        // when that dump completes
        tracker.dumpCompleted(now, 3, 1);
        // then only the earlier request is done; the later one runs with the next dump
        assertEquals(State.DONE, tracker.get(early.id(), 3, 1).orElseThrow().state());
        assertEquals(State.WAITING, tracker.get(late.id(), 3, 1).orElseThrow().state());
        tracker.dumpStarted(200, now, 3, 1);
        assertEquals(State.RUNNING, tracker.get(late.id(), 5, 1).orElseThrow().state());
        assertEquals(2, tracker.get(late.id(), 5, 1).orElseThrow().changesSet());
        tracker.dumpCompleted(now, 6, 2);
        assertEquals(3, tracker.get(late.id(), 9, 9).orElseThrow().changesSet());
        assertEquals(1, tracker.get(late.id(), 9, 9).orElseThrow().changesDeleted());
        assertEquals(3, tracker.get(early.id(), 9, 9).orElseThrow().changesSet());
    }

    @Test
    void keepsTheLastRequestsOnly() {
        long first = tracker.request("a", 0, now).id();
        for (int i = 0; i < ResyncTracker.KEPT; i++) {
            tracker.request("a", 0, now);
        }
        assertTrue(tracker.get(first, 0, 0).isEmpty());
        assertTrue(tracker.get(first + 1, 0, 0).isPresent());
        assertEquals(ResyncTracker.KEPT, tracker.ids().size());
    }
}
