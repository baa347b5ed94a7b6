package net.neighsyncd.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.neighsyncd.jedisunix.UnixSocketJedisFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} process for tests, listening only on a Unix socket in a fresh
 * temporary directory, with no persistence. The binary is {@code $REDIS_SERVER} when set, else
 * {@code redis-server} on the {@code PATH}. Use {@link #available()} to skip tests on machines
 * without one:
 *
 * <pre>
 * assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
 * try (RedisServer redis = RedisServer.start()) { ... }
 * </pre>
 */
public final class RedisServer implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_MILLIS = 10_000;

    private final Path binary;
    private final Path directory;
    private final Path socket;
    private final Path log;
    private final List<Jedis> clients = new ArrayList<>();
    private Process process;

    private RedisServer(Path binary, Path directory) {
        this.binary = binary;
        this.directory = directory;
        this.socket = directory.resolve("redis.sock");
        this.log = directory.resolve("redis.log");
    }

    /** Whether a {@code redis-server} binary can be found. */
    public static boolean available() {
        return whyUnavailable() == null;
    }

    /** Why no server can be started, or {@code null} when one can. */
    public static String whyUnavailable() {
        try {
            binary();
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private static Path binary() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
            throw new IllegalStateException("REDIS_SERVER=" + env + " is not an executable file");
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, "redis-server");
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("no redis-server: set REDIS_SERVER or put redis-server on the PATH "
                + "(Debian: apt-get install redis-server)");
    }

    /** Starts a server in a new temporary directory and waits until it answers PING. */
    public static RedisServer start() throws IOException {
        Path bin;
        try {
            bin = binary();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage());
        }
        RedisServer server = new RedisServer(bin, Files.createTempDirectory("neighsyncd-redis-"));
        try {
            server.launch();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void launch() throws IOException {
        Files.deleteIfExists(socket);
        List<String> cmd = List.of(binary.toString(),
                "--port", "0",
                "--unixsocket", socket.toString(),
                "--unixsocketperm", "700",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", directory.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        awaitReady();
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " while starting; log:\n"
                        + logText());
            }
            if (Files.exists(socket)) {
                try (Jedis j = connect(0)) {
                    if ("PONG".equals(j.ping())) {
                        return;
                    }
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            sleep(10);
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not answer PING on " + socket + " within " + START_TIMEOUT_MILLIS
                + " ms (last error: " + last + "); log:\n" + logText());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The server's log so far. */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The Unix socket the server listens on; the same across {@link #restart()}. */
    public Path socketPath() {
        return socket;
    }

    /** The server's temporary directory; removed by {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** {@code unix:///path/redis.sock?db=N}: a Redis URL for database {@code db} of this server. */
    public String unixUrl(int db) {
        return "unix://" + socket + "?db=" + db;
    }

    /** The process id of the running server. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * A new client connected over the Unix socket with database {@code db} selected. The caller
     * may close it; {@link #close()} closes those left open.
     */
    public Jedis jedis(int db) {
        Jedis j = connect(db);
        synchronized (clients) {
            clients.add(j);
        }
        return j;
    }

    private Jedis connect(int db) {
        return connect(socket, db);
    }

    /**
     * A client of any Redis listening on the unix socket {@code socket}, database {@code db}
     * selected; through the same socket code as the daemon's, with no connect or read time limit
     * (tests bound their own time).
     */
    public static Jedis connect(Path socket, int db) {
        return new Jedis(new UnixSocketJedisFactory(socket, 0, 0), DefaultJedisClientConfig.builder()
                .database(db)
                .autoNegotiateProtocol(false)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .build());
    }

    /** Stops the server with SIGTERM and waits for it to exit. */
    public void stop() {
        end(false);
    }

    /** Kills the server with SIGKILL and waits for it to exit. */
    public void kill() {
        end(true);
    }

    private void end(boolean force) {
        if (process == null || !process.isAlive()) {
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

    /** Stops the server if it runs and starts a new one on the same socket, with no data. */
    public void restart() throws IOException {
        stop();
        launch();
    }

    /** Stops the server, closes the clients handed out and removes the temporary directory. */
    @Override
    public void close() {
        synchronized (clients) {
            for (Jedis j : clients) {
                try {
                    j.close();
                } catch (RuntimeException ignored) {
                    // the server may be gone already
                }
            }
            clients.clear();
        }
        stop();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary directory is not worth failing a test for
        }
    }

    @Override
    public String toString() {
        return "redis-server at unix:" + socket;
    }
}
