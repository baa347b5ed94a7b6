package net.neighsyncd.netlink.internal;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.neighsyncd.api.engine.NeighborEventHandler;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.libc.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reader thread does with the datagrams of its event socket, apart from the I/O: the
 * dump state machine (links, then neighbors; NLM_F_DUMP_INTR redoes a dump), the link cache,
 * interface names for neighbors, and the handler calls. Single-threaded (the reader's thread).
 */
final class EventDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    /** What the dispatcher needs from the sockets. */
    interface Kernel {
        /** The port id of the event socket: dump replies carry it. */
        int portId();

        /** Sends a dump request (already encoded by the caller's choice of type) on the event socket. */
        void sendDump(int type, int seq) throws NetlinkException;

        /** One synchronous RTM_GETLINK; {@code null} when the kernel does not know the index. */
        Link lookupLink(int ifindex);

        /** A dump failed: ask for another one after {@code delayMillis}. */
        void retryDumpLater(long delayMillis);
    }

    enum Phase {
        IDLE,
        LINKS,
        NEIGHBORS
    }

    private final String label;
    private final NeighborEventHandler handler;
    private final NetlinkCounters counters;
    private final Kernel kernel;

    private final Map<Integer, Link> links = new HashMap<>();
    private final Set<Integer> seenInLinkDump = new HashSet<>();
    private Phase phase = Phase.IDLE;
    private long dumpStartedNanos = System.nanoTime();
    private int seq = 1;
    private int dumpSeq;
    private boolean dumpInterrupted;
    private int dumpFailures;
    private volatile boolean closing;
    /** Told the VRFs of the link cache after each link change outside a link dump, and after each link dump. */
    private Consumer<VrfBindings> vrfs = v -> { };

    private final RateLimit malformedWarn = new RateLimit(10_000);
    private final RateLimit overflowWarn = new RateLimit(1_000);
    private final RateLimit handlerWarn = new RateLimit(10_000);

    private final NetlinkCodec.MessageVisitor visitor = this::onMessage;
    private final NetlinkCodec.MalformedListener malformed = this::onMalformed;
    private final NetlinkCodec.NameResolver names = new NetlinkCodec.NameResolver() {
        @Override
        public String name(int ifindex, int addressFamily) {
            return resolveName(ifindex, addressFamily);
        }

        @Override
        public String masterName(int ifindex) {
            Link link = links.get(ifindex);
            Link master = link == null || link.master() <= 0 ? null : links.get(link.master());
            return master == null ? null : master.name();
        }
    };

    EventDispatcher(String label, NeighborEventHandler handler, NetlinkCounters counters, Kernel kernel) {
        this.label = label;
        this.handler = handler;
        this.counters = counters;
        this.kernel = kernel;
    }

    Phase phase() {
        return phase;
    }

    /** Who hears the VRFs of the link cache ({@link KernelVrfs}); set before the first datagram. */
    void vrfListener(Consumer<VrfBindings> listener) {
        this.vrfs = listener;
    }

    private void linksChanged() {
        if (phase != Phase.LINKS) {
            vrfs.accept(KernelVrfs.of(links));
        }
    }

    /** Stops handler calls from the next message on; any thread may call it. */
    void close() {
        closing = true;
    }

    /** The link cache entry of an index, or null (for tests). */
    Link link(int ifindex) {
        return links.get(ifindex);
    }

    NetlinkCodec.MalformedListener malformedListener() {
        return malformed;
    }

    int nextSeq() {
        seq = seq == Integer.MAX_VALUE ? 1 : seq + 1;
        return seq;
    }

    /** Starts a full dump (links, then neighbors); only when {@link #phase()} is IDLE. */
    void startDump() {
        if (phase != Phase.IDLE) {
            throw new IllegalStateException("a dump is already running");
        }
        startLinkDump();
    }

    /**
     * Handles one datagram of {@code realLength} bytes, of which the first {@code length} are in
     * {@code buf} (fewer when it did not fit: its tail is lost).
     */
    void onDatagram(ByteBuffer buf, int length, long realLength) {
        counters.datagrams.incrementAndGet();
        try {
            NetlinkCodec.forEachMessage(buf, 0, length, visitor, malformed);
        } catch (RuntimeException e) {
            counters.readerErrors.incrementAndGet();
            LOG.warn("{}: cannot process a netlink datagram of {} bytes; skipped", label, realLength, e);
        }
        if (realLength > length) {
            onMalformed(Malformed.DATAGRAM_TRUNCATED,
                    "a datagram of " + realLength + " bytes did not fit the " + length + "-byte buffer");
            if (phase != Phase.IDLE) {
                dumpInterrupted = true;
            }
            overflow("a datagram was longer than the receive buffer");
        }
    }

    /** The kernel dropped messages (ENOBUFS, NLMSG_OVERRUN, a cut datagram): tell the handler. */
    void overflow(String why) {
        counters.overflows.incrementAndGet();
        if (overflowWarn.tryAcquire()) {
            LOG.warn("{}: netlink receive buffer overflowed: messages lost ({}; receive buffer {} bytes, {} overflows "
                    + "so far, {} warnings suppressed); the kernel view needs a resync", label, why,
                    counters.receiveBufferBytes.get(), counters.overflows.get(), overflowWarn.suppressed());
        }
        try {
            handler.onOverflow();
        } catch (RuntimeException e) {
            handlerFailed("onOverflow", e);
        }
    }

    // ---------------------------------------------------------------- messages

    private void onMessage(ByteBuffer buf, int offset, int length, int type, int flags, int msgSeq, int pid) {
        if (closing) {
            return;
        }
        counters.message(type);
        boolean dumpReply = phase != Phase.IDLE && msgSeq == dumpSeq && pid == kernel.portId();
        if (dumpReply && (flags & NetlinkCodec.NLM_F_DUMP_INTR) != 0) {
            dumpInterrupted = true;
        }
        switch (type) {
            case NetlinkCodec.RTM_NEWNEIGH:
            case NetlinkCodec.RTM_DELNEIGH: {
                boolean timed = counters.decode.sample();
                long start = timed ? System.nanoTime() : 0;
                NeighborMessage m = NetlinkCodec.decodeNeighbor(buf, offset, length, names, malformed);
                if (timed) {
                    counters.decode.record(System.nanoTime() - start);
                }
                if (m != null) {
                    deliver(m);
                }
                break;
            }
            case NetlinkCodec.RTM_NEWLINK: {
                Link link = NetlinkCodec.decodeLink(buf, offset, length, malformed);
                if (link != null) {
                    onNewLink(link);
                }
                break;
            }
            case NetlinkCodec.RTM_DELLINK: {
                Link link = NetlinkCodec.decodeLink(buf, offset, length, malformed);
                if (link != null) {
                    onDelLink(link);
                }
                break;
            }
            case NetlinkCodec.NLMSG_DONE:
                if (dumpReply) {
                    onDumpDone(NetlinkCodec.doneErrno(buf, offset, length));
                }
                break;
            case NetlinkCodec.NLMSG_ERROR: {
                NetlinkError error = NetlinkCodec.decodeError(buf, offset, length, malformed);
                if (error != null && !error.isAck() && dumpReply) {
                    dumpFailed("the kernel answered the " + dumpName() + " dump request with errno " + error.errno());
                } else if (error != null) {
                    LOG.debug("{}: unexpected NLMSG_ERROR errno {} for seq {}", label, error.errno(), msgSeq);
                }
                break;
            }
            case NetlinkCodec.NLMSG_OVERRUN:
                overflow("the kernel sent NLMSG_OVERRUN");
                break;
            default:
                break;
        }
    }

    private void onMalformed(Malformed reason, String detail) {
        counters.malformed(reason);
        if (malformedWarn.tryAcquire()) {
            LOG.warn("{}: skipped a malformed netlink message ({}): {} ({} similar warnings suppressed)", label,
                    reason.counterName(), detail, malformedWarn.suppressed());
        } else {
            LOG.debug("{}: skipped a malformed netlink message ({}): {}", label, reason.counterName(), detail);
        }
    }

    private void onNewLink(Link link) {
        if (link.family() == LibC.AF_BRIDGE) {
            return; // the bridge's view of a port, not the link itself
        }
        Link known = links.get(link.index());
        if (link.name() == null && known != null) {
            link = new Link(link.family(), link.index(), known.name(), link.master(), link.kind(), link.flags());
        }
        links.put(link.index(), link);
        if (phase == Phase.LINKS) {
            seenInLinkDump.add(link.index());
        }
        linksChanged();
    }

    private void onDelLink(Link link) {
        if (link.family() == LibC.AF_BRIDGE) {
            return; // a port left a bridge; the link itself lives on
        }
        Link known = links.remove(link.index());
        seenInLinkDump.remove(link.index());
        String name = known != null && known.name() != null ? known.name()
                : link.name() != null ? link.name() : Integer.toString(link.index());
        linkRemoved(link.index(), name);
        linksChanged();
    }

    /**
     * The name of an interface: the link cache; else, for IPv4 and IPv6 messages, one
     * synchronous kernel lookup; else the index as text.
     */
    private String resolveName(int ifindex, int family) {
        Link known = links.get(ifindex);
        if (known != null && known.name() != null) {
            return known.name();
        }
        if (family == LibC.AF_INET || family == LibC.AF_INET6) {
            Link fresh = kernel.lookupLink(ifindex);
            if (fresh != null && fresh.name() != null) {
                counters.linkLookupsFound.incrementAndGet();
                links.put(ifindex, fresh);
                if (phase == Phase.LINKS) {
                    seenInLinkDump.add(ifindex);
                }
                linksChanged();
                return fresh.name();
            }
            counters.linkLookupsMissed.incrementAndGet();
        }
        return Integer.toString(ifindex);
    }

    // ---------------------------------------------------------------- dumps

    private String dumpName() {
        return phase == Phase.LINKS ? "link" : "neighbor";
    }

    /** When the running dump started (System.nanoTime()). */
    long dumpStartedNanos() {
        return dumpStartedNanos;
    }

    /** The running dump will not finish (its socket is gone): forget it without completing it. */
    void abandonDump() {
        phase = Phase.IDLE;
    }

    private void startLinkDump() {
        dumpStartedNanos = System.nanoTime();
        phase = Phase.LINKS;
        dumpSeq = nextSeq();
        dumpInterrupted = false;
        seenInLinkDump.clear();
        sendDump(NetlinkCodec.RTM_GETLINK);
    }

    private void startNeighborDump() {
        dumpStartedNanos = System.nanoTime();
        phase = Phase.NEIGHBORS;
        dumpSeq = nextSeq();
        dumpInterrupted = false;
        counters.dumpsStarted.incrementAndGet();
        try {
            handler.onDumpStarted();
        } catch (RuntimeException e) {
            handlerFailed("onDumpStarted", e);
        }
        sendDump(NetlinkCodec.RTM_GETNEIGH);
    }

    private void sendDump(int type) {
        try {
            kernel.sendDump(type, dumpSeq);
        } catch (NetlinkException e) {
            dumpFailed("cannot send the " + dumpName() + " dump request: " + e.getMessage());
        }
    }

    private void onDumpDone(int errno) {
        if (errno != 0) {
            dumpFailed("the " + dumpName() + " dump ended with errno " + errno);
            return;
        }
        dumpFailures = 0;
        if (dumpInterrupted) {
            counters.dumpsInterrupted.incrementAndGet();
            LOG.info("{}: the {} dump was inconsistent (NLM_F_DUMP_INTR); dumping again", label, dumpName());
            if (phase == Phase.LINKS) {
                startLinkDump();
            } else {
                startNeighborDump();
            }
            return;
        }
        if (phase == Phase.LINKS) {
            sweepLinks();
            vrfs.accept(KernelVrfs.of(links));
            startNeighborDump();
            return;
        }
        phase = Phase.IDLE;
        counters.dumpsCompleted.incrementAndGet();
        try {
            handler.onDumpCompleted();
        } catch (RuntimeException e) {
            handlerFailed("onDumpCompleted", e);
        }
    }

    /** Links the cache holds but the completed link dump did not show are gone. */
    private void sweepLinks() {
        for (Iterator<Map.Entry<Integer, Link>> it = links.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Integer, Link> e = it.next();
            if (!seenInLinkDump.contains(e.getKey())) {
                it.remove();
                Link gone = e.getValue();
                linkRemoved(gone.index(), gone.name() != null ? gone.name() : Integer.toString(gone.index()));
            }
        }
        seenInLinkDump.clear();
    }

    private void dumpFailed(String why) {
        counters.dumpsFailed.incrementAndGet();
        dumpFailures++;
        long backoff = Math.min(100L << Math.min(dumpFailures - 1, 6), 5000);
        LOG.warn("{}: {}; dumping again in {} ms", label, why, backoff);
        phase = Phase.IDLE;
        kernel.retryDumpLater(backoff);
    }

    // ---------------------------------------------------------------- handler calls

    private void deliver(NeighborMessage m) {
        try {
            handler.onNeighbor(m);
        } catch (RuntimeException e) {
            handlerFailed("onNeighbor", e);
        }
    }

    private void linkRemoved(int ifindex, String name) {
        try {
            handler.onLinkRemoved(ifindex, name);
        } catch (RuntimeException e) {
            handlerFailed("onLinkRemoved", e);
        }
    }

    private void handlerFailed(String call, RuntimeException e) {
        counters.handlerErrors.incrementAndGet();
        if (handlerWarn.tryAcquire()) {
            LOG.warn("{}: the neighbor event handler threw from {} ({} similar warnings suppressed)", label, call,
                    handlerWarn.suppressed(), e);
        }
    }
}
