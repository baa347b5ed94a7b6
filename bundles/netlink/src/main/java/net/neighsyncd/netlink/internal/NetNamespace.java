package net.neighsyncd.netlink.internal;

import com.sun.jna.LastErrorException;
import net.neighsyncd.libc.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs code with the calling thread (only it) inside a named network namespace. */
final class NetNamespace {
    private static final Logger LOG = LoggerFactory.getLogger(NetNamespace.class);
    private static final String OWN = "/proc/thread-self/ns/net";

    /** Something that opens sockets. */
    @FunctionalInterface
    interface Action<T> {
        T run() throws NetlinkException;
    }

    private NetNamespace() {
    }

    /**
     * Moves this thread into {@code /var/run/netns/<name>} (setns CLONE_NEWNET), runs
     * {@code action}, and moves the thread back. Sockets made by {@code action} stay in the
     * namespace for their whole life. An empty name runs {@code action} where the thread is.
     */
    static <T> T within(String name, Action<T> action) throws NetlinkException {
        if (name.isEmpty()) {
            return action.run();
        }
        String path = "/var/run/netns/" + name;
        int target = open(path);
        int home;
        try {
            home = open(OWN);
        } catch (NetlinkException e) {
            NetlinkSocket.closeQuietly(target);
            throw e;
        }
        try {
            enter(target, path);
        } catch (NetlinkException e) {
            NetlinkSocket.closeQuietly(home);
            throw e;
        }
        try {
            return action.run();
        } finally {
            try {
                enter(home, OWN);
            } catch (NetlinkException e) {
                LOG.warn("thread {} cannot return to its own network namespace ({}); it stays in {}",
                        Thread.currentThread().getName(), e.getMessage(), name);
            }
        }
    }

    private static int open(String path) throws NetlinkException {
        try {
            return LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw NetlinkException.of("open(" + path + ")", e);
        }
    }

    /** setns(fd, CLONE_NEWNET) for this thread; closes fd. */
    private static void enter(int fd, String path) throws NetlinkException {
        try {
            LibC.setns(fd, LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw NetlinkException.of("setns(" + path + ", CLONE_NEWNET)", e);
        } finally {
            NetlinkSocket.closeQuietly(fd);
        }
    }
}
