package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.NeighborKey;

/**
 * Slots found by their neighbor key in an open-addressing hash table: linear probing, deletion
 * by shifting back, no node per entry, the capacity a power of two between a quarter and three
 * quarters full. Interface names are kept once per interface. Not thread-safe: its owner confines
 * or guards it.
 *
 * @param <S> the slot type
 */
final class SlotIndex<S extends KeyedSlot> {
    /** Makes the slot of a key that has none. */
    interface Factory<S> {
        S create(String ifname, boolean v6, long high, long low);
    }

    private static final int MIN_CAPACITY = 64;

    private KeyedSlot[] slots = new KeyedSlot[MIN_CAPACITY];
    private int size;
    private final Map<String, String> ifnames = new HashMap<>();

    /** The slot of {@code key}, or null. */
    S get(NeighborKey key) {
        KeyedSlot s = slots[probe(key)];
        return s == null ? null : cast(s);
    }

    /** The slot of {@code key}, made by {@code factory} and added when there is none. */
    S getOrAdd(NeighborKey key, Factory<S> factory) {
        int i = probe(key);
        if (slots[i] != null) {
            return cast(slots[i]);
        }
        IpAddress ip = key.ip();
        S s = factory.create(ifname(key.ifname()), ip.family() == Family.IPV6, ip.high(), ip.low());
        slots[i] = s;
        if (++size > slots.length / 4 * 3) {
            resize(slots.length * 2);
        }
        return s;
    }

    /** Where {@code key}'s slot is, or the empty place ending its probe run. */
    private int probe(NeighborKey key) {
        IpAddress ip = key.ip();
        boolean v6 = ip.family() == Family.IPV6;
        long high = ip.high();
        long low = ip.low();
        int mask = slots.length - 1;
        int i = KeyedSlot.hash(key.ifname(), v6, high, low) & mask;
        while (slots[i] != null && !slots[i].is(key.ifname(), v6, high, low)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Removes {@code slot} (nothing when it is not here), shifting back the slots of its probe run. */
    void remove(S slot) {
        int mask = slots.length - 1;
        int i = slot.hash() & mask;
        while (slots[i] != slot) {
            if (slots[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        int gap = i;
        for (int j = (gap + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = slots[j].hash() & mask;
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

    /** Removes every slot and gives the memory of a large table back. */
    void clear() {
        slots = new KeyedSlot[MIN_CAPACITY];
        size = 0;
    }

    int size() {
        return size;
    }

    /** The slots {@code test} accepts, in table order: a copy, so that the caller may change the index. */
    List<S> select(Predicate<S> test) {
        List<S> out = new ArrayList<>();
        for (KeyedSlot k : slots) {
            if (k != null) {
                S s = cast(k);
                if (test.test(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private String ifname(String name) {
        String known = ifnames.putIfAbsent(name, name);
        return known != null ? known : name;
    }

    private void resize(int capacity) {
        KeyedSlot[] old = slots;
        slots = new KeyedSlot[capacity];
        int mask = capacity - 1;
        for (KeyedSlot s : old) {
            if (s != null) {
                int i = s.hash() & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = s;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <S> S cast(KeyedSlot s) {
        return (S) s;
    }
}
