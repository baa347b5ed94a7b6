package net.neighsyncd.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.neighsyncd.libc.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous single-link RTM_GETLINK requests on a group-less socket of their own, so the
 * answer never mixes with the event socket's stream. One thread owns it.
 */
final class LinkLookup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkLookup.class);
    private static final int BUFFER_BYTES = 128 << 10;

    private final NetlinkSocket socket;
    private final int timeoutMillis;
    private final NetlinkCodec.MalformedListener malformed;
    private final Memory buffer = new Memory(BUFFER_BYTES);
    private final ByteBuffer view = buffer.getByteBuffer(0, BUFFER_BYTES).order(ByteOrder.nativeOrder());
    private final NetlinkCodec.MessageVisitor visitor = this::onReply;
    private int seq;
    private boolean done;
    private Link result;

    private LinkLookup(NetlinkSocket socket, int timeoutMillis, NetlinkCodec.MalformedListener malformed) {
        this.socket = socket;
        this.timeoutMillis = timeoutMillis;
        this.malformed = malformed;
    }

    /** Opens the request socket in the calling thread's current network namespace. */
    static LinkLookup open(int timeoutMillis, NetlinkCodec.MalformedListener malformed) throws NetlinkException {
        return new LinkLookup(NetlinkSocket.open(), timeoutMillis, malformed);
    }

    /**
     * Asks the kernel for one link.
     *
     * @param requestSeq a sequence number not used by an earlier lookup on this socket
     * @return the link, or {@code null} when the kernel does not know it (ENODEV), on an error or a timeout
     */
    Link lookup(int ifindex, int requestSeq) {
        seq = requestSeq;
        done = false;
        result = null;
        try {
            socket.send(NetlinkCodec.encodeLinkRequest(socket.sendBuffer(), seq, ifindex));
        } catch (NetlinkException e) {
            LOG.debug("link lookup of ifindex {} failed: {}", ifindex, e.getMessage());
            return null;
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!done) {
            long n;
            try {
                n = socket.recv(buffer, BUFFER_BYTES, LibC.MSG_DONTWAIT);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == LibC.EAGAIN) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        LOG.warn("no answer to the link lookup of ifindex {} within {} ms", ifindex, timeoutMillis);
                        return null;
                    }
                    socket.awaitReadable((int) Math.max(1, left));
                } else if (errno != LibC.EINTR) {
                    LOG.debug("link lookup of ifindex {} failed: {}", ifindex, e.getMessage());
                    return null;
                }
                continue;
            }
            if (n > BUFFER_BYTES) {
                LOG.warn("the link lookup reply for ifindex {} ({} bytes) did not fit the buffer", ifindex, n);
                return null;
            }
            NetlinkCodec.forEachMessage(view, 0, (int) n, visitor, malformed);
        }
        return result;
    }

    private void onReply(ByteBuffer buf, int offset, int length, int type, int flags, int msgSeq, int pid) {
        if (msgSeq != seq || done) {
            return; // a late answer to an earlier lookup that timed out
        }
        if (type == NetlinkCodec.RTM_NEWLINK) {
            result = NetlinkCodec.decodeLink(buf, offset, length, malformed);
            done = true;
        } else if (type == NetlinkCodec.NLMSG_ERROR || type == NetlinkCodec.NLMSG_DONE) {
            done = true;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
