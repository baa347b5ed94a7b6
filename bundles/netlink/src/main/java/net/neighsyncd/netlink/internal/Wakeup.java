package net.neighsyncd.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.concurrent.atomic.AtomicInteger;
import net.neighsyncd.libc.LibC;

/**
 * An eventfd that other threads signal to wake the reader out of {@code poll}. It has two
 * owners, the reader and whoever stops it; the last one to {@link #release()} closes it, and no
 * signal reaches the descriptor after that.
 */
final class Wakeup {
    private final int fd;
    private final Memory one = new Memory(8);
    private final Memory drain = new Memory(8);
    private final AtomicInteger owners = new AtomicInteger(2);
    private boolean closed;

    Wakeup() throws NetlinkException {
        try {
            fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        } catch (LastErrorException e) {
            throw NetlinkException.of("eventfd", e);
        }
        one.setLong(0, 1L);
    }

    int fd() {
        return fd;
    }

    /** Wakes the reader (a no-op once closed). */
    synchronized void signal() {
        if (closed) {
            return;
        }
        try {
            LibC.write(fd, one, 8);
        } catch (LastErrorException e) {
            // EAGAIN: the counter is saturated, the reader is due to wake anyway
        }
    }

    /** Resets the counter after the reader woke; called by the reader only. */
    void drain() {
        try {
            LibC.read(fd, drain, 8);
        } catch (LastErrorException e) {
            // EAGAIN: nothing to reset
        }
    }

    /** One owner is done with it; the second call closes the descriptor. */
    void release() {
        if (owners.decrementAndGet() == 0) {
            synchronized (this) {
                closed = true;
                NetlinkSocket.closeQuietly(fd);
            }
        }
    }
}
