package net.neighsyncd.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import net.neighsyncd.libc.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel side of a {@link NeighborRestore}: a group-less request socket (link dumps and the
 * RTM_NEWNEIGH writes with their acknowledgements) and a socket on RTNLGRP_LINK whose only use is
 * to wake the restore when a link changes. Both are opened inside the namespace by the restore's
 * thread (setns on that thread only, then back) and used by it alone.
 */
final class NetlinkRestoreKernel implements NeighborRestore.Kernel {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkRestoreKernel.class);
    private static final int BUFFER_BYTES = 256 << 10;
    /** The longest RTM_NEWNEIGH this class encodes (IPv6). */
    private static final int MAX_NEIGHBOR_MESSAGE = 60;
    /** How long an answer may take at most, however far the restore's deadline is. */
    private static final long REPLY_TIMEOUT_MILLIS = 5000;
    /** How long an answer may take at least, however close the deadline is. */
    private static final long REPLY_GRACE_MILLIS = 100;
    private static final int DUMP_ATTEMPTS = 3;

    private final String label;
    private final NetlinkSocket requests;
    private final NetlinkSocket linkEvents;
    private final int wakeupFd;
    private final BooleanSupplier stopping;
    private final Memory buffer = new Memory(BUFFER_BYTES);
    private final ByteBuffer view = buffer.getByteBuffer(0, BUFFER_BYTES).order(ByteOrder.nativeOrder());
    private final Memory sendMemory = new Memory((long) NeighborRestore.BATCH * MAX_NEIGHBOR_MESSAGE);
    private final ByteBuffer sendView = sendMemory.getByteBuffer(0, sendMemory.size()).order(ByteOrder.nativeOrder());
    private final RateLimit malformedWarn = new RateLimit(10_000);
    private final NetlinkCodec.MalformedListener malformed = this::onMalformed;
    private int seq;

    // state of the reply being read
    private int dumpSeq;
    private boolean dumpDone;
    private boolean dumpInterrupted;
    private int dumpErrno;
    private Map<String, Link> dumped;
    private int batchBase;
    private int[] answers;
    private int answered;

    private NetlinkRestoreKernel(String label, NetlinkSocket requests, NetlinkSocket linkEvents, int wakeupFd,
            BooleanSupplier stopping) {
        this.label = label;
        this.requests = requests;
        this.linkEvents = linkEvents;
        this.wakeupFd = wakeupFd;
        this.stopping = stopping;
    }

    /**
     * Opens both sockets inside {@code /var/run/netns/<namespace>} (empty: where the calling
     * thread is); the calling thread moves there and back.
     */
    static NetlinkRestoreKernel open(String namespace, int wakeupFd, BooleanSupplier stopping) throws NetlinkException {
        if (!namespace.isEmpty() && !NetlinkNeighborSource.isNamespaceName(namespace)) {
            throw new NetlinkException("'" + namespace + "' is not a namespace name under /var/run/netns",
                    LibC.EINVAL);
        }
        String label = namespace.isEmpty() ? "own network namespace" : "network namespace " + namespace;
        return NetNamespace.within(namespace, () -> {
            NetlinkSocket requests = NetlinkSocket.open();
            try {
                NetlinkSocket events = NetlinkSocket.open(NetlinkSocket.RTNLGRP_LINK);
                return new NetlinkRestoreKernel(label, requests, events, wakeupFd, stopping);
            } catch (NetlinkException | RuntimeException e) {
                requests.close();
                throw e;
            }
        });
    }

    // ---------------------------------------------------------------- links

    @Override
    public Map<String, Link> links(long deadlineNanos) {
        for (int attempt = 1; attempt <= DUMP_ATTEMPTS && !stopping.getAsBoolean(); attempt++) {
            dumpSeq = ++seq;
            dumpDone = false;
            dumpInterrupted = false;
            dumpErrno = 0;
            dumped = new HashMap<>();
            try {
                requests.send(NetlinkCodec.encodeLinkDumpRequest(requests.sendBuffer(), dumpSeq));
            } catch (NetlinkException e) {
                LOG.debug("{}: link dump request failed: {}", label, e.getMessage());
                return null;
            }
            boolean complete = receive(this::onDumpReply, () -> dumpDone, deadlineNanos);
            if (!complete) {
                LOG.debug("{}: the link dump did not complete", label);
                return null;
            }
            if (dumpErrno != 0) {
                LOG.debug("{}: the link dump failed with {}", label, NeighborRestore.errnoText(dumpErrno));
                return null;
            }
            if (!dumpInterrupted || attempt == DUMP_ATTEMPTS) {
                return dumped; // an interrupted dump's last try is still good enough to find links that are up
            }
        }
        return null;
    }

    private void onDumpReply(ByteBuffer buf, int offset, int length, int type, int flags, int msgSeq, int pid) {
        if (msgSeq != dumpSeq || dumpDone) {
            return; // a late answer to an earlier request
        }
        if ((flags & NetlinkCodec.NLM_F_DUMP_INTR) != 0) {
            dumpInterrupted = true;
        }
        if (type == NetlinkCodec.RTM_NEWLINK) {
            Link link = NetlinkCodec.decodeLink(buf, offset, length, malformed);
            if (link != null && link.family() == LibC.AF_UNSPEC && link.name() != null) {
                dumped.put(link.name(), link);
            }
        } else if (type == NetlinkCodec.NLMSG_DONE) {
            dumpErrno = NetlinkCodec.doneErrno(buf, offset, length);
            dumpDone = true;
        } else if (type == NetlinkCodec.NLMSG_ERROR) {
            NetlinkError e = NetlinkCodec.decodeError(buf, offset, length, malformed);
            dumpErrno = e == null || e.errno() == 0 ? LibC.EINVAL : e.errno();
            dumpDone = true;
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public int[] replace(List<NeighborRestore.Write> writes, long deadlineNanos) {
        if (writes.size() > NeighborRestore.BATCH) {
            throw new IllegalArgumentException("at most " + NeighborRestore.BATCH + " writes at once");
        }
        answers = new int[writes.size()];
        java.util.Arrays.fill(answers, -1);
        answered = 0;
        batchBase = seq + 1;
        int length = 0;
        for (NeighborRestore.Write w : writes) {
            length += NetlinkCodec.encodeNeighborReplace(sendView, length, ++seq, w.address(), w.ifindex(),
                    NeighborRestore.STATE, w.mac());
        }
        try {
            requests.send(sendMemory, length);
        } catch (NetlinkException e) {
            LOG.debug("{}: sending {} RTM_NEWNEIGH failed: {}", label, writes.size(), e.getMessage());
            return answers;
        }
        receive(this::onWriteReply, () -> answered == answers.length, deadlineNanos);
        return answers;
    }

    private void onWriteReply(ByteBuffer buf, int offset, int length, int type, int flags, int msgSeq, int pid) {
        int i = msgSeq - batchBase;
        if (type != NetlinkCodec.NLMSG_ERROR || i < 0 || i >= answers.length || answers[i] >= 0) {
            return;
        }
        NetlinkError e = NetlinkCodec.decodeError(buf, offset, length, malformed);
        if (e != null) {
            answers[i] = e.errno();
            answered++;
        }
    }

    /**
     * Reads datagrams on the request socket into {@code visitor} until {@code done}, the reply
     * timeout, or a stop. The kernel handles a request while it is sent, so its answers are
     * normally queued before this starts; after ENOBUFS (answers dropped) it reads only what is queued.
     *
     * @return true when {@code done}
     */
    private boolean receive(NetlinkCodec.MessageVisitor visitor, BooleanSupplier done, long deadlineNanos) {
        long now = System.nanoTime();
        long until = now + Math.min(REPLY_TIMEOUT_MILLIS * 1_000_000L,
                Math.max(REPLY_GRACE_MILLIS * 1_000_000L, deadlineNanos - now));
        boolean overflowed = false;
        while (!done.getAsBoolean()) {
            long n;
            try {
                n = requests.recv(buffer, BUFFER_BYTES, LibC.MSG_DONTWAIT);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == LibC.ENOBUFS) {
                    LOG.debug("{}: answers were dropped (ENOBUFS)", label);
                    overflowed = true;
                } else if (errno == LibC.EAGAIN) {
                    long left = (until - System.nanoTime()) / 1_000_000L;
                    if (overflowed || left <= 0 || stopping.getAsBoolean()) {
                        return false;
                    }
                    poll(wakeupFd, requests.fd(), left);
                } else if (errno != LibC.EINTR) {
                    LOG.debug("{}: recv failed: {}", label, e.getMessage());
                    return false;
                }
                continue;
            }
            if (n > BUFFER_BYTES) {
                LOG.debug("{}: a {} byte answer did not fit the buffer", label, n);
                return false;
            }
            NetlinkCodec.forEachMessage(view, 0, (int) n, visitor, malformed);
        }
        return true;
    }

    // ---------------------------------------------------------------- waiting

    @Override
    public void awaitLinkChange(long millis) {
        // no look at stopping here: the restore looked last, and a stop makes wakeupFd readable for good
        if (poll(wakeupFd, linkEvents.fd(), millis)) {
            drainLinkEvents();
        }
    }

    /** The events say only that something changed; the next dump tells what. */
    private void drainLinkEvents() {
        while (true) {
            try {
                linkEvents.recv(buffer, BUFFER_BYTES, LibC.MSG_DONTWAIT);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == LibC.ENOBUFS || errno == LibC.EINTR) {
                    continue; // events were lost: a change all the same
                }
                return;
            }
        }
    }

    /**
     * Waits until {@code fd} (when not -1) is readable, {@code wakeupFd} is readable, or
     * {@code millis} passed.
     *
     * @return true when {@code fd} is readable
     */
    static boolean poll(int wakeupFd, int fd, long millis) {
        Memory fds = new Memory(16);
        fds.setInt(0, wakeupFd);
        fds.setShort(4, LibC.POLLIN);
        fds.setShort(6, (short) 0);
        fds.setInt(8, fd);
        fds.setShort(12, LibC.POLLIN);
        fds.setShort(14, (short) 0);
        try {
            LibC.poll(fds, fd < 0 ? 1 : 2, (int) Math.min(Integer.MAX_VALUE, Math.max(0, millis)));
        } catch (LastErrorException e) {
            return false; // EINTR: the caller looks again
        }
        return fd >= 0 && fds.getShort(14) != 0;
    }

    private void onMalformed(Malformed reason, String detail) {
        if (malformedWarn.tryAcquire()) {
            LOG.warn("{}: skipped a malformed netlink message ({}): {} ({} similar warnings suppressed)", label,
                    reason.counterName(), detail, malformedWarn.suppressed());
        }
    }

    @Override
    public void close() {
        requests.close();
        linkEvents.close();
    }
}
