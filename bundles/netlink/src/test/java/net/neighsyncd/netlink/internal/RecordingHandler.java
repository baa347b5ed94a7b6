package net.neighsyncd.netlink.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.neighsyncd.api.engine.NeighborEventHandler;
import net.neighsyncd.api.neighbor.NeighborMessage;

/** Records every handler call, in order, for tests to wait on. */
class RecordingHandler implements NeighborEventHandler {

    /** One handler call. {@code message} only for NEIGHBOR; {@code ifindex}/{@code ifname} only for LINK_REMOVED. */
    record Event(Kind kind, NeighborMessage message, int ifindex, String ifname) {
        enum Kind {
            DUMP_STARTED,
            NEIGHBOR,
            DUMP_COMPLETED,
            LINK_REMOVED,
            OVERFLOW
        }

        boolean is(Kind k) {
            return kind == k;
        }

        @Override
        public String toString() {
            switch (kind) {
                case NEIGHBOR:
                    return message.toString();
                case LINK_REMOVED:
                    return "LINK_REMOVED " + ifname + "(" + ifindex + ")";
                default:
                    return kind.name();
            }
        }
    }

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final List<Event> seen = new ArrayList<>();

    @Override
    public void onDumpStarted() {
        events.add(new Event(Event.Kind.DUMP_STARTED, null, 0, null));
    }

    @Override
    public void onNeighbor(NeighborMessage message) {
        events.add(new Event(Event.Kind.NEIGHBOR, message, 0, null));
    }

    @Override
    public void onDumpCompleted() {
        events.add(new Event(Event.Kind.DUMP_COMPLETED, null, 0, null));
    }

    @Override
    public void onLinkRemoved(int ifindex, String ifname) {
        events.add(new Event(Event.Kind.LINK_REMOVED, null, ifindex, ifname));
    }

    @Override
    public void onOverflow() {
        events.add(new Event(Event.Kind.OVERFLOW, null, 0, null));
    }

    /**
     * Takes events until one matches and returns every event taken (the match last); fails with
     * what was seen when none matches within the timeout.
     */
    List<Event> awaitUpTo(Predicate<Event> wanted, Duration timeout) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                throw new AssertionError("no matching event within " + timeout + "; took " + taken);
            }
            seen.add(e);
            taken.add(e);
            if (wanted.test(e)) {
                return taken;
            }
        }
    }

    /** Events that arrive within {@code quiet}, until none does. */
    List<Event> drain(Duration quiet) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        Event e;
        while ((e = events.poll(quiet.toNanos(), TimeUnit.NANOSECONDS)) != null) {
            seen.add(e);
            taken.add(e);
        }
        return taken;
    }

    static Predicate<Event> neighbor(boolean deleted, String ip) {
        return e -> e.is(Event.Kind.NEIGHBOR) && e.message().deleted() == deleted && e.message().address() != null
                && e.message().address().toString().equals(ip);
    }
}
