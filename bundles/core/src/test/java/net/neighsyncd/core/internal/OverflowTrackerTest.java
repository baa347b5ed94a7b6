package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OverflowTrackerTest {
    private final OverflowTracker tracker = new OverflowTracker();

    @Test
    void staysDegradedUntilADumpThatBeganAfterTheOverflowCompletes() {
        // given
        assertTrue(tracker.overflowed(), "the first overflow starts a spell");
        // when a dump begins after it and completes
        tracker.dumpStarted();
        assertTrue(tracker.unrepaired(), "degraded while the dump runs");
        // then
        assertTrue(tracker.dumpCompleted(), "that dump repairs it");
        assertFalse(tracker.unrepaired());
    }

    @Test
    void aDumpRunningWhenAnotherOverflowCameDoesNotRepairIt() {
        // given a dump that began after the first overflow
        tracker.overflowed();
        tracker.dumpStarted();
        // when another overflow comes while it runs
        assertFalse(tracker.overflowed(), "the same spell goes on");
        // then its completion repairs nothing
        assertFalse(tracker.dumpCompleted());
        assertTrue(tracker.unrepaired());
        // and the next dump, begun after the last overflow, does
        tracker.dumpStarted();
        assertTrue(tracker.dumpCompleted());
        assertFalse(tracker.unrepaired());
    }

    @Test
    void aDumpThatBeganBeforeTheOverflowDoesNotRepairIt() {
        // given a dump already running
        tracker.dumpStarted();
        // when an overflow comes, then the dump completes
        tracker.overflowed();
        // then
        assertFalse(tracker.dumpCompleted());
        assertTrue(tracker.unrepaired());
    }

    @Test
    void aDumpWithoutAnyOverflowRepairsNothing() {
        tracker.dumpStarted();
        assertFalse(tracker.dumpCompleted());
        assertFalse(tracker.unrepaired());
    }

    @Test
    void anOverflowAfterARepairStartsANewSpell() {
        tracker.overflowed();
        tracker.dumpStarted();
        tracker.dumpCompleted();
        assertTrue(tracker.overflowed());
        assertTrue(tracker.unrepaired());
    }
}
