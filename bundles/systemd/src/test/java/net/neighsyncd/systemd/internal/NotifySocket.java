package net.neighsyncd.systemd.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for systemd in tests: a real bound {@code AF_UNIX} datagram socket (JNA, since Java 17
 * has no unix datagram channel) whose received messages a thread queues with their arrival time.
 */
final class NotifySocket implements AutoCloseable {
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    static {
        Native.register(NotifySocket.class, Platform.C_LIBRARY_NAME);
    }

    private static native int bind(int fd, Pointer addr, int addrlen) throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    private static native long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    /** A message and when it arrived ({@link System#nanoTime}). */
    record Received(String message, long atNanos) {
    }

    private final String address;
    private final int fd;
    private final LinkedBlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closed;

    /** Binds {@code address}: a path, or {@code @name} for the abstract namespace. */
    NotifySocket(String address) {
        this.address = address;
        this.fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        byte[] sockaddr = UnixDatagramSender.sockaddr(address);
        try (Memory a = new Memory(sockaddr.length); Memory tv = new Memory(16)) {
            a.write(0, sockaddr, 0, sockaddr.length);
            bind(fd, a, sockaddr.length);
            tv.setLong(0, 0);
            tv.setLong(8, 100_000); // 100 ms, so that close() is noticed
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
        }
        reader = new Thread(this::read, "notify-socket " + address);
        reader.setDaemon(true);
        reader.start();
    }

    String address() {
        return address;
    }

    private void read() {
        try (Memory buf = new Memory(4096)) {
            while (!closed) {
                long n;
                try {
                    n = recv(fd, buf, buf.size(), 0);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
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
    Received next(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The next message containing {@code text}, skipping others; null when none comes within {@code timeout}. */
    Received next(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = end - System.nanoTime()) {
            Received r = queue.poll(left, TimeUnit.NANOSECONDS);
            if (r != null && r.message().contains(text)) {
                return r;
            }
        }
        return null;
    }

    /** Everything that arrives during {@code time}. */
    List<Received> during(Duration time) throws InterruptedException {
        Thread.sleep(time.toMillis());
        List<Received> all = new ArrayList<>();
        queue.drainTo(all);
        return all;
    }

    void clear() {
        queue.clear();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reader.join(2000);
        LibC.close(fd);
    }
}
