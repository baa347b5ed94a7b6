package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;

/**
 * The engine's neighbors, one {@link NeighborSlot} each, in an open-addressing hash table
 * (linear probing, deletion by shifting back, no per-entry node): the kernel view and the
 * applied view of a neighbor share its slot. Keeps the counts a status reports (neighbors the
 * kernel has, per family and per NUD state) as slots change, so that a status costs nothing
 * however many neighbors there are: every kernel change goes through {@link #setMessage} or
 * {@link #clearKernel}. Interface names are kept once per interface. Confined to the engine thread.
 */
final class NeighborTable {
    private static final Family[] FAMILIES = Family.values();
    private static final NudCategory[] STATES = NudCategory.values();
    private static final int MIN_CAPACITY = 64;

    private NeighborSlot[] slots = new NeighborSlot[MIN_CAPACITY];
    private int size;
    private int applied;
    private final int[] presentByFamily = new int[FAMILIES.length];
    private final int[] presentByState = new int[STATES.length];
    private int present;
    /** One String per interface name, whatever object a message or a store carried it in. */
    private final Map<String, String> ifnames = new HashMap<>();

    /** The slot of {@code key}, or null. */
    NeighborSlot get(NeighborKey key) {
        IpAddress ip = key.ip();
        return find(key.ifname(), ip.family() == Family.IPV6, ip.high(), ip.low());
    }

    /** The slot of {@code key}, added empty when there is none. */
    NeighborSlot getOrAdd(NeighborKey key) {
        IpAddress ip = key.ip();
        boolean v6 = ip.family() == Family.IPV6;
        long high = ip.high();
        long low = ip.low();
        int mask = slots.length - 1;
        int i = hash(key.ifname(), v6, high, low) & mask;
        for (NeighborSlot s = slots[i]; s != null; s = slots[i]) {
            if (s.is(key.ifname(), v6, high, low)) {
                return s;
            }
            i = (i + 1) & mask;
        }
        NeighborSlot s = new NeighborSlot(ifname(key.ifname()), v6, high, low);
        slots[i] = s;
        if (++size > slots.length / 4 * 3) {
            resize(slots.length * 2);
        }
        return s;
    }

    private NeighborSlot find(String ifname, boolean v6, long high, long low) {
        int mask = slots.length - 1;
        int i = hash(ifname, v6, high, low) & mask;
        for (NeighborSlot s = slots[i]; s != null; s = slots[i]) {
            if (s.is(ifname, v6, high, low)) {
                return s;
            }
            i = (i + 1) & mask;
        }
        return null;
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
        }
        slot.setApplied(mac);
    }

    /** Nothing is applied for {@code slot}'s neighbor (see {@link #removeIfEmpty}). */
    void clearApplied(NeighborSlot slot) {
        if (slot.applied()) {
            applied--;
        }
        slot.clearApplied();
    }

    /**
     * Lets {@code slot} leave the table when it holds nothing any more. A caller clears a slot's
     * sides first and calls this when done with it, so that a slot it still uses stays the one in
     * the table.
     */
    void removeIfEmpty(NeighborSlot slot) {
        if (slot.empty()) {
            remove(slot);
        }
    }

    /** The slots {@code test} accepts, in table order: a copy, so that the caller may change the table. */
    List<NeighborSlot> select(Predicate<NeighborSlot> test) {
        List<NeighborSlot> out = new ArrayList<>();
        for (NeighborSlot s : slots) {
            if (s != null && test.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Slots in the table (a kernel entry, an applied entry or both). */
    int size() {
        return size;
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

    private String ifname(String name) {
        String known = ifnames.putIfAbsent(name, name);
        return known != null ? known : name;
    }

    /** Removes {@code slot}, shifting back the slots of its probe run that would no longer be found. */
    private void remove(NeighborSlot slot) {
        int mask = slots.length - 1;
        int i = hash(slot) & mask;
        while (slots[i] != slot) {
            if (slots[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        int gap = i;
        for (int j = (gap + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = hash(slots[j]) & mask;
            // slots[j] may move into the gap when its home is not cyclically within (gap, j]
            boolean homeInRange = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!homeInRange) {
                slots[gap] = slots[j];
                gap = j;
            }
        }
        slots[gap] = null;
        size--;
        if (slots.length > MIN_CAPACITY && size < slots.length / 8) {
            resize(slots.length / 2);
        }
    }

    private void resize(int capacity) {
        NeighborSlot[] old = slots;
        slots = new NeighborSlot[capacity];
        int mask = capacity - 1;
        for (NeighborSlot s : old) {
            if (s != null) {
                int i = hash(s) & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = s;
            }
        }
    }

    private static int hash(NeighborSlot s) {
        return hash(s.ifname, s.v6(), s.high, s.low);
    }

    /** Spreads every bit of the key over the result (a 64-bit finalizer), so that sequential addresses probe apart. */
    static int hash(String ifname, boolean v6, long high, long low) {
        long h = low * 0x9E3779B97F4A7C15L + high;
        h = (h ^ ifname.hashCode()) * 0xBF58476D1CE4E5B9L + (v6 ? 1 : 0);
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }
}
