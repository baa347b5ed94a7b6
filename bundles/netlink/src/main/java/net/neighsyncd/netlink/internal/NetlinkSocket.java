package net.neighsyncd.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.neighsyncd.libc.LibC;

/**
 * One {@code AF_NETLINK}/{@code NETLINK_ROUTE} socket. Not thread-safe: one thread owns it. The
 * socket belongs to the network namespace of the thread that opened it, for its whole life.
 */
final class NetlinkSocket implements AutoCloseable {
    static final int NETLINK_ROUTE = 0;
    static final int RTNLGRP_LINK = 1;
    static final int RTNLGRP_NEIGH = 3;

    private static final int SOCKADDR_NL_LEN = 12;

    private final int fd;
    private final int portId;
    private final Memory scratch = new Memory(16);
    private final Memory sendMemory = new Memory(256);
    private final ByteBuffer sendBuffer;
    private final Memory pollFd = new Memory(8);
    private boolean closed;

    private NetlinkSocket(int fd, int portId) {
        this.fd = fd;
        this.portId = portId;
        this.sendBuffer = sendMemory.getByteBuffer(0, sendMemory.size()).order(ByteOrder.nativeOrder());
    }

    /** Opens a socket, binds it (the kernel picks the port id) and joins the given multicast groups. */
    static NetlinkSocket open(int... groups) throws NetlinkException {
        int fd;
        try {
            fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw NetlinkException.of("socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)", e);
        }
        try {
            Memory addr = new Memory(SOCKADDR_NL_LEN);
            addr.clear();
            addr.setShort(0, (short) LibC.AF_NETLINK);
            try {
                LibC.bind(fd, addr, SOCKADDR_NL_LEN);
            } catch (LastErrorException e) {
                throw NetlinkException.of("bind(AF_NETLINK)", e);
            }
            Memory len = new Memory(4);
            len.setInt(0, SOCKADDR_NL_LEN);
            addr.clear();
            try {
                LibC.getsockname(fd, addr, len);
            } catch (LastErrorException e) {
                throw NetlinkException.of("getsockname(AF_NETLINK)", e);
            }
            NetlinkSocket s = new NetlinkSocket(fd, addr.getInt(4));
            for (int group : groups) {
                s.scratch.setInt(0, group);
                try {
                    LibC.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_ADD_MEMBERSHIP, s.scratch, 4);
                } catch (LastErrorException e) {
                    throw NetlinkException.of("setsockopt(NETLINK_ADD_MEMBERSHIP, " + group + ")", e);
                }
            }
            return s;
        } catch (NetlinkException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    int fd() {
        return fd;
    }

    /** The port id the kernel bound this socket to (the {@code nlmsg_pid} of replies to it). */
    int portId() {
        return portId;
    }

    /**
     * Sets the receive buffer: SO_RCVBUFFORCE (needs CAP_NET_ADMIN, not capped by
     * {@code net.core.rmem_max}), else SO_RCVBUF.
     *
     * @return true when SO_RCVBUFFORCE worked
     */
    boolean setReceiveBuffer(int bytes) throws NetlinkException {
        scratch.setInt(0, bytes);
        try {
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, scratch, 4);
            return true;
        } catch (LastErrorException forced) {
            try {
                LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, scratch, 4);
                return false;
            } catch (LastErrorException e) {
                throw NetlinkException.of("setsockopt(SO_RCVBUF, " + bytes + ")", e);
            }
        }
    }

    /** The receive buffer size the kernel reports (twice what was asked for, for its bookkeeping). */
    int receiveBufferSize() throws NetlinkException {
        scratch.setInt(0, 0);
        scratch.setInt(8, 4);
        try {
            LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, scratch, scratch.share(8));
        } catch (LastErrorException e) {
            throw NetlinkException.of("getsockopt(SO_RCVBUF)", e);
        }
        return scratch.getInt(0);
    }

    /** A native-order buffer to encode one request into, then {@link #send(int)}. */
    ByteBuffer sendBuffer() {
        return sendBuffer;
    }

    /** Sends the first {@code length} bytes of {@link #sendBuffer()} to the kernel. */
    void send(int length) throws NetlinkException {
        send(sendMemory, length);
    }

    /**
     * Sends the first {@code length} bytes of {@code memory} to the kernel as one datagram (which
     * may hold several requests; the kernel handles each and answers each).
     */
    void send(Pointer memory, int length) throws NetlinkException {
        while (true) {
            try {
                LibC.send(fd, memory, length, 0);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw NetlinkException.of("send(netlink)", e);
                }
            }
        }
    }

    /**
     * One datagram into {@code buf}; returns its real length (MSG_TRUNC is always set, so a
     * result above {@code capacity} means the datagram was cut).
     *
     * @throws LastErrorException with EAGAIN when nothing is queued (flags with MSG_DONTWAIT),
     *                            ENOBUFS when the kernel dropped messages, or another errno
     */
    long recv(Pointer buf, long capacity, int flags) throws LastErrorException {
        return LibC.recv(fd, buf, capacity, flags | LibC.MSG_TRUNC);
    }

    /**
     * As {@link #recv}, but a failure is returned, not thrown: the datagram's real length, or
     * minus {@code errno} ({@code -EAGAIN} when nothing is queued with MSG_DONTWAIT, {@code
     * -ENOBUFS} when the kernel dropped messages). For the event loop, where EAGAIN ends every
     * wake-up.
     */
    long recvOrErrno(Pointer buf, long capacity, int flags) {
        long n = LibC.Unchecked.recv(fd, buf, capacity, flags | LibC.MSG_TRUNC);
        return n >= 0 ? n : -LibC.errno();
    }

    /** Waits until the socket is readable (or has an error queued), at most {@code timeoutMillis}. */
    boolean awaitReadable(int timeoutMillis) {
        pollFd.setInt(0, fd);
        pollFd.setShort(4, LibC.POLLIN);
        pollFd.setShort(6, (short) 0);
        try {
            return LibC.poll(pollFd, 1, timeoutMillis) > 0;
        } catch (LastErrorException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(fd);
        }
    }

    static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // nothing left to do with this descriptor
        }
    }
}
