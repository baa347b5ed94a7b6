package net.neighsyncd.redisserver;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process listening only on the unix socket {@code redis.sock} in a
 * directory of its own (no TCP port, socket mode 700), with no persistence; its output goes to
 * {@code redis.log} beside the socket. {@link #start} returns once the server answers PING.
 * The daemon's launcher and the tests start their servers through this class alone.
 */
public final class RedisServerProcess implements AutoCloseable {
    /** The socket file's name in the server's directory. */
    public static final String SOCKET_NAME = "redis.sock";
    /** The log file's name in the server's directory. */
    public static final String LOG_NAME = "redis.log";

    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 10;
    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String PONG = "+PONG\r\n";

    private final Path binary;
    private final Path directory;
    private final Process process;

    private RedisServerProcess(Path binary, Path directory, Process process) {
        this.binary = binary;
        this.directory = directory;
        this.process = process;
    }

    /**
     * The {@code redis-server} named by {@code REDIS_SERVER} in {@code env}, else the first on its
     * {@code PATH}; empty when {@code REDIS_SERVER} is unset and no {@code PATH} folder has one.
     *
     * @throws IOException when {@code REDIS_SERVER} is set but is not an executable file
     */
    public static Optional<Path> find(Map<String, String> env) throws IOException {
        String explicit = env.get("REDIS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
            throw new IOException("REDIS_SERVER=" + explicit + " is not an executable file");
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "redis-server");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts {@code binary} on {@code directory}/{@value #SOCKET_NAME} (the folder is made when
     * missing; a socket file left there is removed first) and waits until it answers PING.
     *
     * @throws IOException when it cannot be started, exits, or does not answer within 10 s; the
     *                     message carries its log
     */
    public static RedisServerProcess start(Path binary, Path directory) throws IOException {
        return start(binary, directory, List.of());
    }

    /** Like {@link #start(Path, Path)}, with more {@code --name value} settings for redis-server. */
    public static RedisServerProcess start(Path binary, Path directory, List<String> settings) throws IOException {
        Files.createDirectories(directory);
        Path socket = directory.resolve(SOCKET_NAME);
        Path log = directory.resolve(LOG_NAME);
        Files.deleteIfExists(socket);
        List<String> cmd = new java.util.ArrayList<>(List.of(binary.toString(),
                "--port", "0",
                "--unixsocket", socket.toString(),
                "--unixsocketperm", "700",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", directory.toString()));
        cmd.addAll(settings);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        RedisServerProcess server = new RedisServerProcess(binary, directory, p);
        try {
            server.awaitPong();
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        return server;
    }

    private void awaitPong() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(binary + " exited with " + process.exitValue() + " while starting; "
                        + log() + ":\n" + logText());
            }
            if (Files.exists(socket())) {
                try {
                    if (answersPing(socket(), deadline)) {
                        return;
                    }
                } catch (IOException e) {
                    last = e;
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + binary + " to answer on " + socket(), e);
            }
        }
        throw new IOException(binary + " did not answer PING on " + socket() + " within " + START_TIMEOUT_MILLIS
                + " ms (last error: " + last + "); " + log() + ":\n" + logText());
    }

    /** Whether the server on {@code socket} answers PING with PONG before {@code deadline} ({@link System#nanoTime}). */
    private static boolean answersPing(Path socket, long deadline) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(PING));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer reply = ByteBuffer.allocate(256);
            while (true) {
                if (ch.read(reply) < 0) {
                    return false;
                }
                String text = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
                if (text.endsWith("\r\n") || !reply.hasRemaining()) {
                    return text.equals(PONG);
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                selector.select(left);
                selector.selectedKeys().clear();
            }
        }
    }

    /** The program that was started. */
    public Path binary() {
        return binary;
    }

    /** The server's own directory: socket, log and working directory. */
    public Path directory() {
        return directory;
    }

    /** The unix socket the server listens on. */
    public Path socket() {
        return directory.resolve(SOCKET_NAME);
    }

    /** The file the server's output goes to. */
    public Path log() {
        return directory.resolve(LOG_NAME);
    }

    /** The server's output so far, or why it cannot be read. */
    public String logText() {
        Path log = log();
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the server with SIGTERM (SIGKILL when it has not exited within 10 s) and waits for it. */
    public void stop() {
        end(false);
    }

    /** Ends the server with SIGKILL and waits for it. */
    public void kill() {
        end(true);
    }

    private void end(boolean force) {
        if (!process.isAlive()) {
            return;
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return binary + " at unix:" + socket();
    }
}
