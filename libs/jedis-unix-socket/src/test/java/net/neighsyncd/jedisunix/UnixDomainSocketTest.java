package net.neighsyncd.jedisunix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The JDK-only Unix socket under Jedis: timeouts, end of stream, close, options. */
class UnixDomainSocketTest {
    @TempDir
    Path tmp;

    private ServerSocketChannel server;
    private Path path;

    @BeforeEach
    void listen() throws Exception {
        path = tmp.resolve("silent.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
    }

    @AfterEach
    void stopListening() throws Exception {
        server.close();
    }

    @Test
    void aServerThatNeverAnswersMakesAReadTimeOutInsteadOfHanging() throws Exception {
        // given a connected socket whose server accepts and stays silent
        UnixDomainSocket socket = new UnixDomainSocket();
        socket.connect(UnixDomainSocketAddress.of(path), 1000);
        try (SocketChannel accepted = server.accept()) {
            socket.setSoTimeout(300);
            InputStream in = socket.getInputStream();
            // when / then
            long start = System.nanoTime();
            SocketTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(SocketTimeoutException.class, in::read));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 250 && millis < 5000, "timed out after " + millis + " ms");
            assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
            // and the socket still works afterwards
            accepted.write(ByteBuffer.wrap(new byte[] {42}));
            assertEquals(42, in.read());
        } finally {
            socket.close();
        }
    }

    @Test
    void jedisAgainstASilentServerFailsWithATimeoutNotAHang() {
        // given a "Redis" that accepts and never answers
        CompletableFuture<Void> acceptor = CompletableFuture.runAsync(() -> {
            try {
                server.accept(); // kept open by the listening channel until the test ends
            } catch (Exception ignored) {
                // closed at the end of the test
            }
        });
        // when / then: selecting database 3 needs an answer that never comes
        JedisConnectionException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                JedisConnectionException.class, () -> {
                    try (Jedis j = new Jedis(new UnixSocketJedisFactory(path, 500, 400),
                            DefaultJedisClientConfig.builder().database(3).build())) {
                        j.ping();
                    }
                }));
        assertInstanceOf(SocketTimeoutException.class, rootCause(e), e.toString());
        acceptor.cancel(true);
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void connectingToAMissingSocketIsAClearConnectionError() {
        Path missing = tmp.resolve("missing.sock");
        JedisConnectionException e = assertThrows(JedisConnectionException.class,
                () -> new UnixSocketJedisFactory(missing, 500, 500).createSocket());
        assertTrue(e.getMessage().contains("unix:" + missing), e.getMessage());
    }

    @Test
    void aSocketFromTheFactoryCarriesTheReadTimeoutJedisWillUse() throws Exception {
        try (java.net.Socket socket = new UnixSocketJedisFactory(path, 500, 400).createSocket();
                SocketChannel peer = server.accept()) {
            assertEquals(400, socket.getSoTimeout());
            assertTrue(socket.isConnected());
        }
    }

    @Test
    void aNegativeTimeoutIsRefusedWhenTheFactoryIsMade() {
        assertThrows(IllegalArgumentException.class, () -> new UnixSocketJedisFactory(path, -1, 0));
    }

    @Test
    void bytesGoBothWaysAndAvailableCountsWhatArrived() throws Exception {
        UnixDomainSocket socket = new UnixDomainSocket();
        socket.connect(UnixDomainSocketAddress.of(path), 1000);
        try (SocketChannel peer = server.accept()) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // when the client writes, then the peer reads it
            out.write("PING\r\n".getBytes());
            ByteBuffer got = ByteBuffer.allocate(6);
            while (got.hasRemaining()) {
                peer.read(got);
            }
            assertEquals("PING\r\n", new String(got.array()));
            // when the peer writes, then available() sees it without blocking and read returns it
            peer.write(ByteBuffer.wrap("+PONG\r\n".getBytes()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (in.available() < 7 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(7, in.available());
            byte[] buf = new byte[16];
            int n = in.read(buf, 0, buf.length);
            assertEquals("+PONG\r\n", new String(buf, 0, n));
            assertEquals(0, in.available());
            // when the peer closes, then the end of the stream shows
            peer.close();
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(buf, 0, 1));
        } finally {
            socket.close();
        }
        assertTrue(socket.isClosed());
        assertThrows(SocketException.class, socket::getInputStream);
    }

    @Test
    void closingTheSocketFromAnotherThreadEndsABlockedRead() throws Exception {
        UnixDomainSocket socket = new UnixDomainSocket();
        socket.connect(UnixDomainSocketAddress.of(path), 1000);
        try (SocketChannel peer = server.accept()) {
            socket.setSoTimeout(0); // no timeout: only close can end the read
            InputStream in = socket.getInputStream();
            CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    in.read();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Thread.sleep(200);
            assertFalse(reader.isDone());
            socket.close();
            Throwable t = reader.get(5, TimeUnit.SECONDS);
            assertInstanceOf(SocketException.class, t);
        }
    }

    @Test
    void interruptingAThreadBlockedInAReadEndsTheRead() throws Exception {
        UnixDomainSocket socket = new UnixDomainSocket();
        socket.connect(UnixDomainSocketAddress.of(path), 1000);
        try (SocketChannel peer = server.accept()) {
            socket.setSoTimeout(0);
            InputStream in = socket.getInputStream();
            CompletableFuture<Throwable> result = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    in.read();
                    result.complete(null);
                } catch (Throwable t) {
                    result.complete(t);
                }
            });
            reader.start();
            Thread.sleep(200);
            reader.interrupt();
            assertInstanceOf(java.io.InterruptedIOException.class, result.get(5, TimeUnit.SECONDS));
        } finally {
            socket.close();
        }
    }

    @Test
    void tcpOptionsAreAcceptedAndMeaninglessOnesIgnored() throws Exception {
        UnixDomainSocket socket = new UnixDomainSocket();
        assertFalse(socket.isConnected());
        socket.connect(UnixDomainSocketAddress.of(path), 1000);
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setReuseAddress(true);
            socket.setSoLinger(true, 0);
            socket.setReceiveBufferSize(65536);
            assertTrue(socket.getReceiveBufferSize() > 0);
            assertTrue(socket.isConnected());
            assertTrue(socket.isBound());
            assertFalse(socket.isInputShutdown());
            assertEquals(UnixDomainSocketAddress.of(path), socket.getRemoteSocketAddress());
            assertTrue(socket.toString().contains(path.toString()));
        } finally {
            socket.close();
        }
    }
}
