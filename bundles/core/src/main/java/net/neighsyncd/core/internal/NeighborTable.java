package net.neighsyncd.core.internal;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;

/**
 * The engine's neighbors, one {@link NeighborSlot} each, in a {@link SlotIndex}: the kernel view
 * and the applied view of a neighbor share its slot. Keeps the counts a status reports (neighbors
 * the kernel has, per family and per NUD state) as slots change, so that a status costs nothing
 * however many neighbors there are: every kernel change goes through {@link #setMessage} or
 * {@link #clearKernel}. Confined to the engine thread.
 */
final class NeighborTable {
    private static final Family[] FAMILIES = Family.values();
    private static final NudCategory[] STATES = NudCategory.values();

    private final SlotIndex<NeighborSlot> index = new SlotIndex<>();
    private int applied;
    private final int[] presentByFamily = new int[FAMILIES.length];
    private final int[] presentByState = new int[STATES.length];
    private int present;
    /** Applied entries per interface name (the slots' shared name objects), none at 0. */
    private final Map<String, int[]> appliedByInterface = new HashMap<>();

    /** The slot of {@code key}, or null. */
    NeighborSlot get(NeighborKey key) {
        return index.get(key);
    }

    /** The slot of {@code key}, added empty when there is none. */
    NeighborSlot getOrAdd(NeighborKey key) {
        return index.getOrAdd(key, NeighborSlot::new);
    }

    /** Keeps {@code m} as the kernel's last message of {@code slot} (see {@link NeighborSlot#setMessage}). */
    void setMessage(NeighborSlot slot, NeighborMessage m, boolean accepted, int generation) {
        count(slot, -1);
        slot.setMessage(m, accepted, generation);
        count(slot, 1);
    }

    /** The kernel no longer has {@code slot}'s neighbor (see {@link #removeIfEmpty}). */
    void clearKernel(NeighborSlot slot) {
        count(slot, -1);
        slot.clearKernel();
    }

    void setApplied(NeighborSlot slot, MacAddress mac) {
        if (!slot.applied()) {
            applied++;
            appliedByInterface.computeIfAbsent(slot.ifname, k -> new int[1])[0]++;
        }
        slot.setApplied(mac);
    }

    /** Nothing is applied for {@code slot}'s neighbor (see {@link #removeIfEmpty}). */
    void clearApplied(NeighborSlot slot) {
        if (slot.applied()) {
            applied--;
            int[] n = appliedByInterface.get(slot.ifname);
            if (--n[0] == 0) {
                appliedByInterface.remove(slot.ifname);
            }
        }
        slot.clearApplied();
    }

    /** Applied entries per interface, for every interface that has one. */
    Map<String, Integer> appliedByInterface() {
        Map<String, Integer> out = new HashMap<>();
        appliedByInterface.forEach((ifname, n) -> out.put(ifname, n[0]));
        return out;
    }

    /**
     * Lets {@code slot} leave the table when it holds nothing any more. A caller clears a slot's
     * sides first and calls this when done with it, so that a slot it still uses stays the one in
     * the table.
     */
    void removeIfEmpty(NeighborSlot slot) {
        if (slot.empty()) {
            index.remove(slot);
        }
    }

    /** The slots {@code test} accepts: a copy, so that the caller may change the table. */
    List<NeighborSlot> select(Predicate<NeighborSlot> test) {
        return index.select(test);
    }

    /** Slots in the table (a kernel entry, an applied entry or both). */
    int size() {
        return index.size();
    }

    /** Neighbors with an applied entry. */
    int appliedCount() {
        return applied;
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

    private void count(NeighborSlot s, int delta) {
        if (!s.presentInKernel()) {
            return;
        }
        present += delta;
        presentByFamily[s.family().ordinal()] += delta;
        presentByState[NudCategory.of(s.state()).ordinal()] += delta;
    }
}
