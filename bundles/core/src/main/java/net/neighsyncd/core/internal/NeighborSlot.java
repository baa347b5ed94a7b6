package net.neighsyncd.core.internal;

import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NeighborRecord;

/**
 * Everything the engine keeps of one neighbor, in one object of primitive fields: its key (the
 * interface name, shared by every neighbor of the interface, and the address as two longs), the
 * kernel's last message about it, and the MAC address applied for it. Objects the rules and the
 * sinks need (a message, a key, a record) are built from it when asked and not kept: at a
 * million neighbors each object per neighbor costs the heap its header and the young collector
 * a copy. Confined to the engine thread, like the {@link NeighborTable} that holds it.
 */
final class NeighborSlot extends KeyedSlot {
    /** The kernel reported the neighbor and no dump has missed it since (the message fields are set). */
    private static final int KERNEL = 1 << 1;
    private static final int DELETED = 1 << 2;
    private static final int MAC = 1 << 3;
    private static final int APPLIED = 1 << 4;
    /** The last message the rules did not ignore is the last message. */
    private static final int ACCEPTED_IS_MESSAGE = 1 << 5;
    /** The APPL_DB sink acknowledged an entry for the neighbor (the MAC in {@code ackedMac}). */
    private static final int ACKED = 1 << 6;

    private int bits;
    // the kernel's last message; its family, interface name and address are the key's
    private int ifindex;
    private long mac;
    private int state;
    private int flags;
    private String masterName;
    /** The last accepted message when it is not the last one; null otherwise, or when there is none. */
    private NeighborMessage olderAccepted;
    private int generation;
    private long appliedMac;
    private long ackedMac;

    NeighborSlot(String ifname, boolean v6, long high, long low) {
        super(ifname, v6, high, low);
    }

    // the kernel side

    /** The kernel has an entry (a message the rules kept, a delete among them). */
    boolean inKernel() {
        return (bits & KERNEL) != 0;
    }

    /** The kernel has the neighbor: its entry's last message is not a delete. */
    boolean presentInKernel() {
        return (bits & (KERNEL | DELETED)) == KERNEL;
    }

    int state() {
        return state;
    }

    int generation() {
        return generation;
    }

    String masterName() {
        return masterName;
    }

    /**
     * Keeps {@code m} (of this slot's key) as the last message; the last accepted message becomes
     * {@code m} itself when {@code accepted}, else stays what it was.
     */
    void setMessage(NeighborMessage m, boolean accepted, int generation) {
        if (!accepted) {
            NeighborMessage previous = acceptedMessage();
            olderAccepted = previous;
        } else {
            olderAccepted = null;
        }
        int b = bits & (APPLIED | ACKED) | KERNEL;
        if (m.deleted()) {
            b |= DELETED;
        }
        if (m.mac() != null) {
            b |= MAC;
            mac = m.mac().bits();
        } else {
            mac = 0;
        }
        if (accepted) {
            b |= ACCEPTED_IS_MESSAGE;
        }
        bits = b;
        ifindex = m.ifindex();
        state = m.state();
        flags = m.flags();
        masterName = m.masterName();
        this.generation = generation;
    }

    /** The kernel no longer has the neighbor; what was applied for it is kept. */
    void clearKernel() {
        bits &= APPLIED | ACKED;
        olderAccepted = null;
        masterName = null;
    }

    /** The kernel's last message, built anew; null when the kernel has no entry. */
    NeighborMessage message() {
        if (!inKernel()) {
            return null;
        }
        return new NeighborMessage((bits & DELETED) != 0, family().addressFamily(), ifindex, ifname,
                IpAddress.ofBits(family(), high, low), (bits & MAC) != 0 ? MacAddress.ofBits(mac) : null, state,
                flags, masterName);
    }

    /** The last message the rules did not ignore, built anew when it is the last one; null when none. */
    NeighborMessage acceptedMessage() {
        if (!inKernel()) {
            return null;
        }
        return (bits & ACCEPTED_IS_MESSAGE) != 0 ? message() : olderAccepted;
    }

    /** Whether the last accepted message is another one than the last message. */
    boolean acceptedIsOlder() {
        return (bits & ACCEPTED_IS_MESSAGE) == 0 && olderAccepted != null;
    }

    // the applied side

    boolean applied() {
        return (bits & APPLIED) != 0;
    }

    long appliedMac() {
        return appliedMac;
    }

    void setApplied(MacAddress mac) {
        bits |= APPLIED;
        appliedMac = mac.bits();
    }

    void clearApplied() {
        bits &= ~APPLIED;
        appliedMac = 0;
    }

    /** What is applied for the neighbor, built anew; null when nothing is. */
    NeighborRecord appliedRecord() {
        return applied() ? new NeighborRecord(key(), MacAddress.ofBits(appliedMac)) : null;
    }

    // the acknowledged side: what APPL_DB holds, as the sink confirmed each write

    boolean acked() {
        return (bits & ACKED) != 0;
    }

    long ackedMac() {
        return ackedMac;
    }

    void setAcked(long mac) {
        bits |= ACKED;
        ackedMac = mac;
    }

    void clearAcked() {
        bits &= ~ACKED;
        ackedMac = 0;
    }

    /** The kernel's NUD state category; null when the kernel has no entry or reported it deleted. */
    net.neighsyncd.api.engine.NudCategory kernelState() {
        return presentInKernel() ? net.neighsyncd.api.engine.NudCategory.of(state) : null;
    }

    /** The slot holds nothing and may leave its table. */
    boolean empty() {
        return (bits & (KERNEL | APPLIED | ACKED)) == 0;
    }
}
