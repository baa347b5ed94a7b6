package net.neighsyncd.systemd.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The three libc calls an sd_notify datagram needs, direct-mapped with JNA. Each call throws
 * {@link LastErrorException} carrying {@code errno} when it fails. Values are for Linux on
 * 64-bit targets (amd64, arm64): {@code size_t}/{@code ssize_t} are Java {@code long}.
 */
final class LibC {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;

    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrlen)
            throws LastErrorException;

    static native int close(int fd) throws LastErrorException;
}
