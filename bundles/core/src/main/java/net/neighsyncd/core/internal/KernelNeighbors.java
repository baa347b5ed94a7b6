package net.neighsyncd.core.internal;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;

/**
 * The kernel view: the last message of every neighbor the kernel reported, and the counts a
 * status reports (neighbors the kernel has, per family and per NUD state), kept as entries
 * change, so that a status costs the engine thread nothing however many neighbors there are.
 * Every change goes through {@link #put}, {@link #remove} or {@link #removeIf}. Confined to the
 * engine thread.
 */
final class KernelNeighbors {
    /**
     * A kernel neighbor: its last message, the last one of its messages that the rules did not
     * ignore when it came (null when none was), and the dump generation that last saw it. An
     * RTM_DELNEIGH the rules ignore stays here as the last message until a dump no longer lists
     * the neighbor: the kernel has dropped it, but what is written for it stays, as in SONiC.
     */
    static final class Entry {
        final NeighborMessage message;
        final NeighborMessage accepted;
        final int generation;

        Entry(NeighborMessage message, NeighborMessage accepted, int generation) {
            this.message = message;
            this.accepted = accepted;
            this.generation = generation;
        }

        /** The kernel still has the neighbor (its last message is not a delete). */
        boolean present() {
            return !message.deleted();
        }
    }

    private static final Family[] FAMILIES = Family.values();
    private static final NudCategory[] STATES = NudCategory.values();

    private final Map<NeighborKey, Entry> entries = new HashMap<>();
    private final int[] presentByFamily = new int[FAMILIES.length];
    private final int[] presentByState = new int[STATES.length];
    private int present;

    Entry get(NeighborKey key) {
        return entries.get(key);
    }

    void put(NeighborKey key, Entry entry) {
        uncount(key, entries.put(key, entry));
        count(key, entry, 1);
    }

    void remove(NeighborKey key) {
        uncount(key, entries.remove(key));
    }

    /** Removes the entries {@code test} accepts; returns how many. */
    int removeIf(BiPredicate<NeighborKey, Entry> test) {
        int removed = 0;
        for (Iterator<Map.Entry<NeighborKey, Entry>> it = entries.entrySet().iterator(); it.hasNext();) {
            Map.Entry<NeighborKey, Entry> e = it.next();
            if (test.test(e.getKey(), e.getValue())) {
                it.remove();
                uncount(e.getKey(), e.getValue());
                removed++;
            }
        }
        return removed;
    }

    /** Every key, present or not (a read-only view). */
    Set<NeighborKey> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** Neighbors the kernel has. */
    int present() {
        return present;
    }

    /** Neighbors the kernel has, per address family (every family present, 0 when none). */
    Map<Family, Integer> presentByFamily() {
        Map<Family, Integer> out = new EnumMap<>(Family.class);
        for (Family f : FAMILIES) {
            out.put(f, presentByFamily[f.ordinal()]);
        }
        return out;
    }

    /** Neighbors the kernel has, per NUD state (every category present, 0 when none). */
    Map<NudCategory, Integer> presentByState() {
        Map<NudCategory, Integer> out = new EnumMap<>(NudCategory.class);
        for (NudCategory c : STATES) {
            out.put(c, presentByState[c.ordinal()]);
        }
        return out;
    }

    private void uncount(NeighborKey key, Entry old) {
        if (old != null) {
            count(key, old, -1);
        }
    }

    private void count(NeighborKey key, Entry e, int delta) {
        if (!e.present()) {
            return;
        }
        present += delta;
        presentByFamily[key.ip().family().ordinal()] += delta;
        presentByState[NudCategory.of(e.message.state()).ordinal()] += delta;
    }
}
