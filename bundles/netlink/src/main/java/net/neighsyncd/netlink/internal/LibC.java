package net.neighsyncd.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls the netlink source needs, direct-mapped with JNA. Each call throws
 * {@link LastErrorException} carrying {@code errno} when it fails. Values are for Linux on
 * 64-bit targets (amd64, arm64): {@code size_t}/{@code ssize_t} are Java {@code long}.
 */
final class LibC {
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_BRIDGE = 7;
    static final int AF_NETLINK = 16;

    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;

    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVBUFFORCE = 33;

    static final int SOL_NETLINK = 270;
    static final int NETLINK_ADD_MEMBERSHIP = 1;

    static final int MSG_PEEK = 0x02;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;

    static final int CLONE_NEWNET = 0x40000000;

    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    static final short POLLIN = 0x1;

    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENETDOWN = 100;
    static final int ENOBUFS = 105;

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, Pointer addr, int addrlen) throws LastErrorException;

    /** {@code addrlen} points to an int in and out. */
    static native int getsockname(int fd, Pointer addr, Pointer addrlen) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    /** {@code len} points to an int in and out. */
    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer len) throws LastErrorException;

    static native long send(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    static native long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    static native long read(int fd, Pointer buf, long len) throws LastErrorException;

    static native long write(int fd, Pointer buf, long len) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    /** {@code open(2)} with an explicit mode: the call works for the variadic C function on Linux amd64/arm64. */
    static native int open(String path, int flags, int mode) throws LastErrorException;

    static native int setns(int fd, int nstype) throws LastErrorException;

    static native int eventfd(int initval, int flags) throws LastErrorException;

    /** {@code fds} is an array of {@code struct pollfd} (int fd, short events, short revents). */
    static native int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;
}
