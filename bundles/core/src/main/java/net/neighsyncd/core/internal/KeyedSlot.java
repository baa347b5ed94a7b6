package net.neighsyncd.core.internal;

import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.NeighborKey;

/**
 * What a {@link SlotIndex} finds a slot by: a neighbor's key without objects of its own, the
 * interface name (one String per interface, shared) and the address as two longs (see
 * {@link IpAddress#high()} and {@link IpAddress#low()}).
 */
abstract class KeyedSlot {
    final String ifname;
    final boolean v6;
    final long high;
    final long low;

    KeyedSlot(String ifname, boolean v6, long high, long low) {
        this.ifname = ifname;
        this.v6 = v6;
        this.high = high;
        this.low = low;
    }

    final boolean is(String ifname, boolean v6, long high, long low) {
        return this.low == low && this.high == high && this.v6 == v6 && this.ifname.equals(ifname);
    }

    final Family family() {
        return v6 ? Family.IPV6 : Family.IPV4;
    }

    /** The key, built anew. */
    final NeighborKey key() {
        return new NeighborKey(ifname, IpAddress.ofBits(family(), high, low));
    }

    final int hash() {
        return hash(ifname, v6, high, low);
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
