package net.neighsyncd.systemd.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Sends each message as one datagram to {@code NOTIFY_SOCKET} from an unbound {@code AF_UNIX}
 * datagram socket, as {@code sd_notify(3)} does: a filesystem path, or an abstract name when the
 * value starts with {@code @} (which becomes the leading NUL of {@code sun_path}).
 */
final class UnixDatagramSender implements NotifySender, AutoCloseable {
    /** {@code sizeof(struct sockaddr_un)} on Linux: {@code sa_family_t} (2 bytes) + {@code sun_path[108]}. */
    static final int SUN_PATH_MAX = 108;

    private final String target;
    private final Memory address;
    private final int addressLength;
    private final Object lock = new Object();
    private int fd;

    UnixDatagramSender(String notifySocket) throws IOException {
        this.target = notifySocket;
        byte[] sockaddr = sockaddr(notifySocket);
        this.address = new Memory(sockaddr.length);
        this.address.write(0, sockaddr, 0, sockaddr.length);
        this.addressLength = sockaddr.length;
        try {
            this.fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM): errno " + e.getErrorCode(), e);
        }
    }

    /**
     * The {@code struct sockaddr_un} for a {@code NOTIFY_SOCKET} value, cut to its used length
     * (the length {@code sendto} gets): a path keeps its terminating NUL, an abstract name has none.
     */
    static byte[] sockaddr(String notifySocket) {
        if (notifySocket.isEmpty() || !(notifySocket.startsWith("/") || notifySocket.startsWith("@"))) {
            throw new IllegalArgumentException("NOTIFY_SOCKET must be an absolute path or start with @: "
                    + notifySocket);
        }
        byte[] name = notifySocket.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name[0] == '@';
        int pathLength = abstractName ? name.length : name.length + 1;
        if (pathLength > SUN_PATH_MAX) {
            throw new IllegalArgumentException("NOTIFY_SOCKET longer than " + SUN_PATH_MAX + " bytes: " + notifySocket);
        }
        byte[] sockaddr = new byte[2 + pathLength];
        // sa_family in native order; every Linux target neighsyncd runs on is little-endian
        sockaddr[0] = (byte) LibC.AF_UNIX;
        sockaddr[1] = 0;
        System.arraycopy(name, 0, sockaddr, 2, name.length);
        if (abstractName) {
            sockaddr[2] = 0;
        }
        return sockaddr;
    }

    @Override
    public void send(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try (Memory buf = new Memory(Math.max(1, bytes.length))) {
            buf.write(0, bytes, 0, bytes.length);
            synchronized (lock) {
                if (fd < 0) {
                    throw new IOException("closed");
                }
                LibC.sendto(fd, buf, bytes.length, LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT, address, addressLength);
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
