package net.neighsyncd.itests;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fault injector, not a Redis: a Unix socket that forwards every connection to a real
 * redis-server's socket until it is severed, then refuses and drops every connection until it is
 * joined again. It gives one daemon a cut Redis link while the other keeps its own, which the real
 * server cannot do for one client on demand.
 */
final class SeverableRedisLink implements AutoCloseable {
    private final Path socket;
    private final Path target;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile boolean severed;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    SeverableRedisLink(Path socket, Path target) throws IOException {
        this.socket = socket;
        this.target = target;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::accept, "redis-link-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code unix://} URL of this link for database {@code db}. */
    String unixUrl(int db) {
        return "unix://" + socket + "?db=" + db;
    }

    /** Closes every forwarded connection and refuses new ones. */
    void sever() {
        severed = true;
        for (SocketChannel c : open) {
            closeQuietly(c);
        }
    }

    /** Forwards new connections again. */
    void join() {
        severed = false;
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (severed) {
                closeQuietly(client);
                continue;
            }
            try {
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            try {
                while (!severed && from.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        to.write(buf);
                    }
                    buf.clear();
                }
            } catch (IOException e) {
                // one side closed or the link was severed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "redis-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        sever();
        server.close();
        Files.deleteIfExists(socket);
    }
}
