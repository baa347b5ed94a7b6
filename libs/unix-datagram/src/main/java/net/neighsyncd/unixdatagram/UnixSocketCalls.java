package net.neighsyncd.unixdatagram;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls an {@code AF_UNIX} datagram socket needs, direct-mapped with JNA. Each call
 * throws {@link LastErrorException} carrying {@code errno} when it fails. Values are for Linux on
 * 64-bit targets (amd64, arm64): {@code size_t}/{@code ssize_t} are Java {@code long}.
 */
final class UnixSocketCalls {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;

    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;

    static final int EINTR = 4;
    static final int EAGAIN = 11;

    static {
        Native.register(UnixSocketCalls.class, Platform.C_LIBRARY_NAME);
    }

    private UnixSocketCalls() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrlen)
            throws LastErrorException;

    static native int bind(int fd, Pointer addr, int addrlen) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    static native long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;
}
