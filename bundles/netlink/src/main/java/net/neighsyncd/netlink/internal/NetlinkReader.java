package net.neighsyncd.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import net.neighsyncd.api.engine.NeighborEventHandler;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.libc.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader thread of one netlink source and its I/O: enters the network namespace, opens the
 * event socket (RTNLGRP_NEIGH + RTNLGRP_LINK) and a group-less request socket (for synchronous
 * link lookups), then receives every datagram into one reused native buffer and hands it to an
 * {@link EventDispatcher} without copying.
 *
 * <p>Dump replies are read on the event socket, interleaved with the live events in kernel
 * order; one dump at a time; {@link #requestDump()} while one runs queues exactly one more. Every
 * socket call happens on the reader thread; other threads only set flags and signal a
 * {@link Wakeup}.
 */
final class NetlinkReader implements EventDispatcher.Kernel {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkReader.class);

    /** Size of the reused receive buffer; far above the largest datagram rtnetlink sends. */
    static final int BUFFER_BYTES = 1 << 20;
    private static final int LOOKUP_TIMEOUT_MILLIS = 1000;
    private static final long RETRY_MIN_MILLIS = 100;
    private static final long RETRY_MAX_MILLIS = 30_000;
    private static final long STOP_TIMEOUT_MILLIS = 5000;

    private final String namespace;
    private final String label;
    private final NetlinkCounters counters;
    private final EventDispatcher dispatcher;
    private final Wakeup wakeup;
    private final Thread thread;

    private volatile boolean closing;
    /** How long a running dump may receive nothing before it counts as stalled. */
    static final long DUMP_STALL_MILLIS = 1_000;
    /** How often an idle reader of a named namespace checks that the namespace is still there. */
    static final long NAMESPACE_CHECK_MILLIS = 1_000;
    /** The namespace the sockets were opened in (its nsfs inode); null for the daemon's own. */
    private Object namespaceIdentity;
    private long nextNamespaceCheck;
    /** Why the namespace was lost while the reader ran (deleted, replaced); null while it was not. */
    private String namespaceLost;
    private final long dumpStallMillis;
    private long lastDatagramNanos = System.nanoTime();
    /** Why the sockets are not open, while the reader keeps trying; null once they are. */
    private volatile String notOpen = "starting";
    private volatile int receiveBufferBytes;
    private final AtomicBoolean dumpRequested = new AtomicBoolean(true);
    private final AtomicInteger pendingReceiveBuffer = new AtomicInteger();

    // Everything below is owned by the reader thread.
    private final Memory buffer = new Memory(BUFFER_BYTES);
    private final ByteBuffer view = buffer.getByteBuffer(0, BUFFER_BYTES).order(ByteOrder.nativeOrder());
    private final Memory pollFds = new Memory(16);
    private NetlinkSocket events;
    private LinkLookup requests;
    private long dumpNotBefore;
    private final RateLimit errorWarn = new RateLimit(10_000);

    NetlinkReader(String namespace, int receiveBufferBytes, NeighborEventHandler handler, NetlinkCounters counters)
            throws NetlinkException {
        this(namespace, receiveBufferBytes, handler, counters, DUMP_STALL_MILLIS, UnaryOperator.identity());
    }

    /**
     * For tests: a dump counts as stalled after {@code dumpStallMillis} of silence, and the
     * dispatcher reaches this reader's sockets through {@code kernelView} (where a test puts a fault).
     */
    NetlinkReader(String namespace, int receiveBufferBytes, NeighborEventHandler handler, NetlinkCounters counters,
            long dumpStallMillis, UnaryOperator<EventDispatcher.Kernel> kernelView) throws NetlinkException {
        this.namespace = namespace;
        this.dumpStallMillis = dumpStallMillis;
        this.label = namespace.isEmpty() ? "own network namespace" : "network namespace " + namespace;
        this.receiveBufferBytes = receiveBufferBytes;
        this.counters = counters;
        this.dispatcher = new EventDispatcher(label, handler, counters, kernelView.apply(this));
        this.wakeup = new Wakeup();
        String name = namespace.isEmpty() ? "neighsyncd-netlink-reader" : "neighsyncd-netlink-reader[" + namespace + "]";
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.dumpNotBefore = System.nanoTime();
    }

    /** Who hears the VRFs of the link cache; set before {@link #start()}. */
    void vrfListener(Consumer<VrfBindings> listener) {
        dispatcher.vrfListener(listener);
    }

    void start() {
        thread.start();
    }

    /** Queues one more full dump (links, then neighbors); repeated calls coalesce. */
    void requestDump() {
        dumpRequested.set(true);
        wakeup.signal();
    }

    /** Applies a new receive buffer size to the live socket (and to any socket opened later). */
    void setReceiveBuffer(int bytes) {
        receiveBufferBytes = bytes;
        pendingReceiveBuffer.set(bytes);
        wakeup.signal();
    }

    /**
     * Stops the reader and waits for it. After this returns (from another thread) the handler
     * is not called again, unless the reader was stuck in the handler for longer than the
     * timeout, which is logged. Called from the handler itself, it only asks the reader to stop.
     */
    void stop() {
        closing = true;
        dispatcher.close();
        wakeup.signal();
        if (!ThreadJoin.awaitEnd(thread, STOP_TIMEOUT_MILLIS)) {
            LOG.warn("{}: netlink reader {} did not stop within {} ms (its handler has not returned); "
                    + "it will stop when the handler returns", label, thread.getName(), STOP_TIMEOUT_MILLIS);
        }
        wakeup.release();
    }

    /** Why the netlink sockets are not open now (still starting, or failing to open), or null when they are. */
    String notOpen() {
        return notOpen;
    }

    private void run() {
        counters.readerStarts.incrementAndGet();
        try {
            if (openWithRetry()) {
                loop();
            }
        } catch (RuntimeException | Error e) {
            counters.readerErrors.incrementAndGet();
            LOG.error("{}: netlink reader failed and stops", label, e);
        } finally {
            notOpen = "stopped";
            closeSockets();
            wakeup.release();
            LOG.info("{}: netlink reader stopped", label);
        }
    }

    // ---------------------------------------------------------------- start-up

    private boolean openWithRetry() {
        long backoff = RETRY_MIN_MILLIS;
        while (!closing) {
            try {
                openSockets();
                notOpen = null;
                namespaceLost = null;
                return true;
            } catch (NetlinkException e) {
                boolean absent = !namespace.isEmpty() && NamespaceIdentity.of(namespace) == null;
                notOpen = !absent ? e.getMessage()
                        : namespaceLost != null ? "network namespace " + namespace + " " + namespaceLost
                        : "network namespace " + namespace + " does not exist (no " + NamespaceIdentity.path(namespace)
                                + ")";
                closeSockets();
                counters.readerErrors.incrementAndGet();
                LOG.warn("{}: cannot open the netlink sockets: {}; retrying in {} ms", label, e.getMessage(), backoff);
                waitForWakeup(backoff);
                backoff = Math.min(backoff * 2, RETRY_MAX_MILLIS);
            }
        }
        return false;
    }

    /**
     * Opens both sockets inside the configured namespace. Only this thread moves there, and it
     * moves back once the sockets exist (a socket stays in the namespace it was made in).
     */
    private void openSockets() throws NetlinkException {
        namespaceIdentity = NamespaceIdentity.of(namespace);
        nextNamespaceCheck = System.nanoTime() + NAMESPACE_CHECK_MILLIS * 1_000_000L;
        NetNamespace.within(namespace, () -> {
            events = NetlinkSocket.open(NetlinkSocket.RTNLGRP_NEIGH, NetlinkSocket.RTNLGRP_LINK);
            applyReceiveBuffer(receiveBufferBytes);
            requests = LinkLookup.open(LOOKUP_TIMEOUT_MILLIS, dispatcher.malformedListener());
            return null;
        });
        LOG.info("{}: netlink source listening on RTNLGRP_NEIGH and RTNLGRP_LINK (port id {})", label,
                events.portId());
    }

    private void closeSockets() {
        if (events != null) {
            events.close();
            events = null;
        }
        if (requests != null) {
            requests.close();
            requests = null;
        }
    }

    private void applyReceiveBuffer(int bytes) throws NetlinkException {
        boolean forced = events.setReceiveBuffer(bytes);
        int granted = events.receiveBufferSize();
        counters.receiveBufferBytes.set(granted);
        if (granted < bytes) {
            LOG.warn("{}: netlink receive buffer is {} bytes, less than the {} asked for (SO_RCVBUFFORCE "
                    + "refused, SO_RCVBUF is capped by net.core.rmem_max)", label, granted, bytes);
        } else {
            LOG.info("{}: netlink receive buffer is {} bytes (asked for {} with {})", label, granted, bytes,
                    forced ? "SO_RCVBUFFORCE" : "SO_RCVBUF");
        }
    }

    // ---------------------------------------------------------------- the loop

    private void loop() {
        long errorBackoff = RETRY_MIN_MILLIS;
        while (!closing) {
            int newBuffer = pendingReceiveBuffer.getAndSet(0);
            if (newBuffer > 0) {
                try {
                    applyReceiveBuffer(newBuffer);
                } catch (NetlinkException e) {
                    LOG.warn("{}: cannot change the netlink receive buffer to {} bytes: {}", label, newBuffer,
                            e.getMessage());
                }
            }
            if (dispatcher.phase() == EventDispatcher.Phase.IDLE && dumpRequested.get()
                    && System.nanoTime() - dumpNotBefore >= 0) {
                dumpRequested.set(false);
                dispatcher.startDump();
                continue;
            }
            if (!namespace.isEmpty() && System.nanoTime() - nextNamespaceCheck >= 0 && !namespaceStillThere()) {
                if (!openWithRetry()) {
                    break;
                }
                dispatcher.abandonDump();
                requestDump();
                continue;
            }
            long recvStart = System.nanoTime();
            long n = events.recvOrErrno(buffer, BUFFER_BYTES, LibC.MSG_DONTWAIT);
            if (n < 0) {
                int errno = (int) -n;
                if (errno == LibC.EAGAIN) {
                    if (dumpStalled()) {
                        reopenEventSocket();
                    } else {
                        waitForEvents();
                    }
                } else if (errno == LibC.ENOBUFS) {
                    dispatcher.overflow("the kernel reported ENOBUFS");
                } else if (errno != LibC.EINTR) {
                    counters.recvErrors.incrementAndGet();
                    if (errorWarn.tryAcquire()) {
                        LOG.warn("{}: netlink recv failed: errno {} ({} more suppressed); retrying in {} ms", label,
                                errno, errorWarn.suppressed(), errorBackoff);
                    }
                    waitForWakeup(errorBackoff);
                    errorBackoff = Math.min(errorBackoff * 2, 5000);
                }
                continue;
            }
            errorBackoff = RETRY_MIN_MILLIS;
            if (closing) {
                break;
            }
            lastDatagramNanos = System.nanoTime();
            counters.read.record(lastDatagramNanos - recvStart);
            dispatcher.onDatagram(view, (int) Math.min(n, BUFFER_BYTES), n);
        }
        dispatcher.close();
    }

    /**
     * The kernel continues a dump only inside a successful recvmsg: when a dump part could not be
     * queued (the buffer was full, ENOBUFS) and the queue then drains with no other traffic, the
     * dump never resumes. A dump in progress with nothing received for {@link #DUMP_STALL_MILLIS}
     * is such a dump.
     */
    private boolean dumpStalled() {
        return dispatcher.phase() != EventDispatcher.Phase.IDLE
                && System.nanoTime() - Math.max(lastDatagramNanos, dispatcher.dumpStartedNanos())
                        > dumpStallMillis * 1_000_000L;
    }

    /**
     * Replaces the event socket, whose dump is stuck in the kernel: events may have been lost,
     * so the handler hears an overflow and a new dump follows on the new socket.
     */
    private void reopenEventSocket() {
        counters.dumpsStalled.incrementAndGet();
        LOG.warn("{}: the kernel stopped the running dump after an overflow; reopening the netlink socket and "
                + "dumping again", label);
        NetlinkSocket old = events;
        try {
            NetNamespace.within(namespace, () -> {
                events = NetlinkSocket.open(NetlinkSocket.RTNLGRP_NEIGH, NetlinkSocket.RTNLGRP_LINK);
                applyReceiveBuffer(receiveBufferBytes);
                return null;
            });
            old.close();
        } catch (NetlinkException e) {
            events = old;
            LOG.warn("{}: cannot reopen the netlink socket: {}; retrying", label, e.getMessage());
            waitForWakeup(RETRY_MIN_MILLIS);
            return;
        }
        lastDatagramNanos = System.nanoTime();
        dispatcher.abandonDump();
        dispatcher.overflow("a dump stalled in the kernel");
        requestDump();
    }

    /**
     * Whether the namespace the sockets live in is still the one its name names. {@code ip netns
     * delete} only removes the name: the namespace lives on while these sockets hold it, quiet. When
     * the name is gone (or names another namespace) the sockets are closed and the health says
     * why; the reader opens new ones once the name is back, and dumps.
     */
    private boolean namespaceStillThere() {
        nextNamespaceCheck = System.nanoTime() + NAMESPACE_CHECK_MILLIS * 1_000_000L;
        Object now = NamespaceIdentity.of(namespace);
        if (now == NamespaceIdentity.UNREADABLE || now != null && now.equals(namespaceIdentity)) {
            return true;
        }
        String why = now == null ? "was deleted" : "was replaced by another of the same name";
        LOG.warn("{}: network namespace {} {}: its netlink sockets are closed until it exists again", label, namespace,
                why);
        namespaceLost = why;
        notOpen = "network namespace " + namespace + " " + why;
        counters.namespaceLosses.incrementAndGet();
        closeSockets();
        return false;
    }

    /**
     * Blocks until the event socket has data (or an error), someone signals, a delayed dump is due,
     * or, for a named namespace, its name is due for a check.
     */
    private void waitForEvents() {
        int timeout = namespace.isEmpty() ? -1 : (int) NAMESPACE_CHECK_MILLIS;
        if (dumpRequested.get() && dispatcher.phase() == EventDispatcher.Phase.IDLE) {
            timeout = (int) Math.max(1, (dumpNotBefore - System.nanoTime()) / 1_000_000L + 1);
        } else if (dispatcher.phase() != EventDispatcher.Phase.IDLE) {
            // wake up to notice a dump the kernel no longer continues
            timeout = (int) dumpStallMillis;
        }
        pollFds.setInt(0, wakeup.fd());
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setShort(6, (short) 0);
        pollFds.setInt(8, events.fd());
        pollFds.setShort(12, LibC.POLLIN);
        pollFds.setShort(14, (short) 0);
        poll(2, timeout);
    }

    /** Sleeps up to {@code millis}, or less when someone signals. */
    private void waitForWakeup(long millis) {
        pollFds.setInt(0, wakeup.fd());
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setShort(6, (short) 0);
        poll(1, (int) millis);
    }

    private void poll(int count, int timeout) {
        try {
            LibC.poll(pollFds, count, timeout);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.EINTR) {
                LOG.debug("{}: poll failed: {}", label, e.getMessage());
            }
        }
        if ((pollFds.getShort(6) & LibC.POLLIN) != 0) {
            wakeup.drain();
        }
    }

    // ---------------------------------------------------------------- EventDispatcher.Kernel

    @Override
    public int portId() {
        return events.portId();
    }

    @Override
    public void sendDump(int type, int seq) throws NetlinkException {
        ByteBuffer out = events.sendBuffer();
        int length = type == NetlinkCodec.RTM_GETLINK ? NetlinkCodec.encodeLinkDumpRequest(out, seq)
                : NetlinkCodec.encodeNeighborDumpRequest(out, seq);
        events.send(length);
    }

    @Override
    public void retryDumpLater(long delayMillis) {
        dumpNotBefore = System.nanoTime() + delayMillis * 1_000_000L;
        dumpRequested.set(true);
    }

    /** RTM_GETLINK for one index on the request socket; {@code null} when unknown, failed or timed out. */
    @Override
    public Link lookupLink(int ifindex) {
        return requests == null ? null : requests.lookup(ifindex, dispatcher.nextSeq());
    }
}
