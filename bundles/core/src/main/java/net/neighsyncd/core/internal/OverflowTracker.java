package net.neighsyncd.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Netlink overflow bookkeeping. An overflow loses kernel messages, so the engine is degraded
 * from the overflow until a full dump that <em>began after the last overflow</em> completes: a
 * dump already running when another overflow came may have missed what was lost, so it does not
 * repair it (the source is asked for one more).
 *
 * <p>{@link #overflowed} may be called from any thread; {@link #dumpStarted} and
 * {@link #dumpCompleted} from the engine thread only.
 */
final class OverflowTracker {
    private final AtomicLong overflows = new AtomicLong();
    /** Overflows reported when the running dump started; -1 when none runs (engine thread). */
    private long atDumpStart = -1;
    private volatile boolean unrepaired;

    /** An overflow: returns true when it starts an unrepaired spell (the first since the last repair). */
    boolean overflowed() {
        overflows.incrementAndGet();
        boolean first = !unrepaired;
        unrepaired = true;
        return first;
    }

    /** A full dump began. */
    void dumpStarted() {
        atDumpStart = overflows.get();
    }

    /**
     * A full dump completed: returns true when it repaired the overflows (it began after the last
     * one), which ends the degraded spell.
     */
    boolean dumpCompleted() {
        boolean repairs = unrepaired && atDumpStart == overflows.get();
        atDumpStart = -1;
        if (repairs) {
            unrepaired = false;
        }
        return repairs;
    }

    /** An overflow happened and no dump that began after it has completed. */
    boolean unrepaired() {
        return unrepaired;
    }
}
