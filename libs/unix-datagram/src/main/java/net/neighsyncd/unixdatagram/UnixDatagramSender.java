package net.neighsyncd.unixdatagram;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import net.neighsyncd.libc.LibC;

/**
 * Sends each message as one datagram to a unix socket from an unbound {@code AF_UNIX} datagram
 * socket, never blocking: a full receiver queue fails the send with {@code EAGAIN}. Safe for
 * concurrent use.
 */
public final class UnixDatagramSender implements AutoCloseable {
    private final String target;
    private final Memory address;
    private final int addressLength;
    private final Object lock = new Object();
    private int fd;

    /**
     * @param target an absolute path or an {@code @abstract} name (see {@link UnixAddress#sockaddr})
     * @throws IllegalArgumentException when {@code target} is not a unix socket address
     * @throws IOException when no socket can be created
     */
    public UnixDatagramSender(String target) throws IOException {
        this.target = target;
        byte[] sockaddr = UnixAddress.sockaddr(target);
        this.address = new Memory(sockaddr.length);
        this.address.write(0, sockaddr, 0, sockaddr.length);
        this.addressLength = sockaddr.length;
        try {
            this.fd = LibC.socket(LibC.AF_UNIX,
                    LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM): errno " + e.getErrorCode(), e);
        }
    }

    /** Sends {@code bytes} as one datagram. */
    public void send(byte[] bytes) throws IOException {
        try (Memory buf = new Memory(Math.max(1, bytes.length))) {
            buf.write(0, bytes, 0, bytes.length);
            synchronized (lock) {
                if (fd < 0) {
                    throw new IOException("closed");
                }
                LibC.sendto(fd, buf, bytes.length,
                        LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT, address, addressLength);
            }
        } catch (LastErrorException e) {
            throw new IOException("sendto " + target + ": errno " + e.getErrorCode(), e);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (fd >= 0) {
                try {
                    LibC.close(fd);
                } catch (LastErrorException e) {
                    // nothing left to do with it
                }
                fd = -1;
            }
        }
        address.close();
    }

    @Override
    public String toString() {
        return target;
    }
}
