package net.neighsyncd.libc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Every libc call the project makes, in one place: direct-mapped with JNA (native static
 * methods bound once by {@link Native#register}, no proxy per call). Each call throws
 * {@link LastErrorException} carrying {@code errno} when it fails. Values are for Linux on
 * 64-bit targets (amd64, arm64): {@code size_t}/{@code ssize_t} are Java {@code long}.
 *
 * <p>Not a bundle: a bundle that calls libc copies this package in privately (bnd
 * {@code -conditionalpackage}), so each has its own copy, bound by its own class loader.
 */
public final class LibC {
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_BRIDGE = 7;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;

    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_RCVBUFFORCE = 33;

    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;

    public static final int MSG_PEEK = 0x02;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;

    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;

    public static final int CLONE_NEWNET = 0x40000000;

    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    public static final short POLLIN = 0x1;

    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENETDOWN = 100;
    public static final int ENOBUFS = 105;

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    /**
     * Calls whose failure is an everyday outcome on a hot path (EAGAIN on a non-blocking socket
     * ends every wake-up of a reader): they return -1 and leave {@code errno} to {@link #errno()},
     * so that no exception, with its stack trace, is built for it (about 5 µs and two exceptions'
     * garbage each with JNA's {@link LastErrorException}).
     */
    public static final class Unchecked {
        static {
            Native.register(Unchecked.class, Platform.C_LIBRARY_NAME);
        }

        private Unchecked() {
        }

        public static native long recv(int fd, Pointer buf, long len, int flags);
    }

    /** The {@code errno} of this thread's last native call (JNA keeps it per call). */
    public static int errno() {
        return Native.getLastError();
    }

    public static native int socket(int domain, int type, int protocol) throws LastErrorException;

    public static native int bind(int fd, Pointer addr, int addrlen) throws LastErrorException;

    /** {@code addrlen} points to an int in and out. */
    public static native int getsockname(int fd, Pointer addr, Pointer addrlen) throws LastErrorException;

    public static native int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    /** {@code len} points to an int in and out. */
    public static native int getsockopt(int fd, int level, int name, Pointer value, Pointer len) throws LastErrorException;

    public static native long send(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    public static native long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    public static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrlen)
            throws LastErrorException;

    public static native long read(int fd, Pointer buf, long len) throws LastErrorException;

    public static native long write(int fd, Pointer buf, long len) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    /** {@code open(2)} with an explicit mode: the call works for the variadic C function on Linux amd64/arm64. */
    public static native int open(String path, int flags, int mode) throws LastErrorException;

    public static native int setns(int fd, int nstype) throws LastErrorException;

    public static native int eventfd(int initval, int flags) throws LastErrorException;

    /** {@code fds} is an array of {@code struct pollfd} (int fd, short events, short revents). */
    public static native int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;
}
