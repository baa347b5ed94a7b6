package net.neighsyncd.unixdatagram;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.libc.LibC;

/**
 * A bound {@code AF_UNIX} datagram socket whose messages a thread of its own queues with their
 * arrival time. Tests stand it in for systemd's {@code NOTIFY_SOCKET} and for {@code /dev/log}.
 */
public final class UnixDatagramReceiver implements AutoCloseable {
    /** A message and when it arrived ({@link System#nanoTime}). */
    public record Received(String message, long atNanos) {
    }

    private final String address;
    private final int fd;
    private final LinkedBlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closed;

    /** Binds {@code address}: a path, or {@code @name} for the abstract namespace. */
    public UnixDatagramReceiver(String address) {
        this.address = address;
        this.fd = LibC.socket(LibC.AF_UNIX,
                LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        byte[] sockaddr = UnixAddress.sockaddr(address);
        try (Memory a = new Memory(sockaddr.length); Memory tv = new Memory(16)) {
            a.write(0, sockaddr, 0, sockaddr.length);
            LibC.bind(fd, a, sockaddr.length);
            tv.setLong(0, 0);
            tv.setLong(8, 100_000); // 100 ms, so that close() is noticed
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv, 16);
        }
        reader = new Thread(this::read, "unix-datagram " + address);
        reader.setDaemon(true);
        reader.start();
    }

    public String address() {
        return address;
    }

    private void read() {
        try (Memory buf = new Memory(65536)) {
            while (!closed) {
                long n;
                try {
                    n = LibC.recv(fd, buf, buf.size(), 0);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == LibC.EAGAIN || e.getErrorCode() == LibC.EINTR) {
                        continue;
                    }
                    return;
                }
                queue.add(new Received(new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8),
                        System.nanoTime()));
            }
        }
    }

    /** The next message, or null when none comes within {@code timeout}. */
    public Received next(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The next message containing {@code text}, skipping others; null when none comes within {@code timeout}. */
    public Received next(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = end - System.nanoTime()) {
            Received r = queue.poll(left, TimeUnit.NANOSECONDS);
            if (r != null && r.message().contains(text)) {
                return r;
            }
        }
        return null;
    }

    public void clear() {
        queue.clear();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reader.join(2000);
        LibC.close(fd);
    }
}
