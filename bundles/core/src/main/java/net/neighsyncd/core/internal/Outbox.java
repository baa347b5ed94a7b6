package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborRecord;

/**
 * The changes waiting for one sink: one per key, the newest, in the order their keys first came
 * (a newer change of a waiting key keeps its place). Each waiting change is one object of
 * primitive fields in a {@link SlotIndex} and a queue; the change objects a sink is handed are
 * built when taken. While a sink is slower than the kernel (a cold start of a million
 * neighbors) most neighbors wait here at once, and each object per change would cost the heap
 * its header and the young collector a copy. Not thread-safe: the {@link SinkWriter}'s lock
 * guards it.
 */
final class Outbox {
    /** A waiting change and when the engine took the oldest kernel message it carries (0: none). */
    static final class Waiting extends KeyedSlot {
        private boolean delete;
        private long mac;
        private String hostRouteVrf;
        private long readNanos;
        private Waiting next;

        Waiting(String ifname, boolean v6, long high, long low) {
            super(ifname, v6, high, low);
        }

        private void set(NeighborChange c) {
            delete = c.op() == NeighborChange.Op.DELETE;
            mac = delete ? 0 : c.record().mac().bits();
            hostRouteVrf = c.hostRouteVrf();
        }

        /** The change, built anew. */
        NeighborChange change() {
            if (delete) {
                return NeighborChange.delete(key());
            }
            NeighborRecord r = new NeighborRecord(key(), MacAddress.ofBits(mac));
            return hostRouteVrf == null ? NeighborChange.set(r) : NeighborChange.setReplacingHostRoute(r, hostRouteVrf);
        }
    }

    private final SlotIndex<Waiting> index = new SlotIndex<>();
    private Waiting head;
    private Waiting tail;

    /**
     * Queues {@code change}; {@code readNanos} is when the engine took the kernel message behind
     * it (0: none). A key that is already waiting keeps its place and the older read time.
     */
    void offer(NeighborChange change, long readNanos) {
        Waiting w = waiting(change, readNanos);
        w.set(change);
        w.readNanos = SinkWriter.oldest(w.readNanos, readNanos);
    }

    /**
     * Puts back a change that failed: a newer change of its key that came meanwhile wins, with the
     * older read time; else it waits again, behind the changes waiting now.
     */
    void putBack(NeighborChange change, long readNanos) {
        Waiting w = index.get(change.key());
        if (w == null) {
            w = waiting(change, readNanos);
            w.set(change);
        }
        w.readNanos = SinkWriter.oldest(w.readNanos, readNanos);
    }

    private Waiting waiting(NeighborChange change, long readNanos) {
        Waiting w = index.getOrAdd(change.key(), Waiting::new);
        if (w.next == null && w != tail) {
            // new: to the end of the queue
            w.readNanos = readNanos;
            if (tail == null) {
                head = w;
            } else {
                tail.next = w;
            }
            tail = w;
        }
        return w;
    }

    /** Takes up to {@code max} changes from the front, oldest first. */
    List<SinkWriter.Pending> take(int max) {
        int n = Math.min(max, index.size());
        List<SinkWriter.Pending> out = new ArrayList<>(n);
        boolean all = n == index.size();
        while (out.size() < n) {
            Waiting w = head;
            head = w.next;
            w.next = null;
            if (!all) {
                index.remove(w);
            }
            out.add(new SinkWriter.Pending(w.change(), w.readNanos));
        }
        if (head == null) {
            tail = null;
        }
        if (all) {
            index.clear();
        }
        return out;
    }

    /** Walks the waiting changes in order, each built anew, and drops those {@code drop} accepts. */
    void removeIf(Predicate<NeighborChange> drop) {
        Waiting previous = null;
        for (Waiting w = head; w != null;) {
            Waiting next = w.next;
            if (drop.test(w.change())) {
                if (previous == null) {
                    head = next;
                } else {
                    previous.next = next;
                }
                if (w == tail) {
                    tail = previous;
                }
                w.next = null;
                index.remove(w);
            } else {
                previous = w;
            }
            w = next;
        }
    }

    /** The oldest read time of a waiting change, 0 when none has one. A full walk. */
    long oldestReadNanos() {
        long oldest = 0;
        for (Waiting w = head; w != null; w = w.next) {
            oldest = SinkWriter.oldest(oldest, w.readNanos);
        }
        return oldest;
    }

    int size() {
        return index.size();
    }

    boolean isEmpty() {
        return index.size() == 0;
    }
}
