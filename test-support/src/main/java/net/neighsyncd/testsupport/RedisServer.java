package net.neighsyncd.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.neighsyncd.jedisunix.UnixSocketJedisFactory;
import net.neighsyncd.redisserver.RedisServerProcess;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} process for tests, listening only on a Unix socket in a fresh
 * temporary directory, with no persistence; started by the project's one launcher,
 * {@link RedisServerProcess}. The binary is {@code $REDIS_SERVER} when set, else
 * {@code redis-server} on the {@code PATH}. Use {@link #available()} to skip tests on machines
 * without one:
 *
 * <pre>
 * assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
 * try (RedisServer redis = RedisServer.start()) { ... }
 * </pre>
 */
public final class RedisServer implements AutoCloseable {
    private final Path binary;
    private final Path directory;
    private final List<Jedis> clients = new ArrayList<>();
    private RedisServerProcess process;

    private RedisServer(Path binary, Path directory) {
        this.binary = binary;
        this.directory = directory;
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
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static Path binary() throws IOException {
        return RedisServerProcess.find(System.getenv()).orElseThrow(() -> new IOException(
                "no redis-server: set REDIS_SERVER or put redis-server on the PATH (Debian: apt-get install redis-server)"));
    }

    /** Starts a server in a new temporary directory and waits until it answers PING. */
    public static RedisServer start() throws IOException {
        RedisServer server = new RedisServer(binary(), Files.createTempDirectory("neighsyncd-redis-"));
        try {
            server.launch();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void launch() throws IOException {
        process = RedisServerProcess.start(binary, directory);
    }

    /** The server's log so far. */
    public String logText() {
        return process == null ? "" : process.logText();
    }

    /** The Unix socket the server listens on; the same across {@link #restart()}. */
    public Path socketPath() {
        return directory.resolve(RedisServerProcess.SOCKET_NAME);
    }

    /** The server's temporary directory; removed by {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** {@code unix:///path/redis.sock?db=N}: a Redis URL for database {@code db} of this server. */
    public String unixUrl(int db) {
        return "unix://" + socketPath() + "?db=" + db;
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
        return connect(socketPath(), db);
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
        if (process != null) {
            process.stop();
        }
    }

    /** Kills the server with SIGKILL and waits for it to exit. */
    public void kill() {
        if (process != null) {
            process.kill();
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
        return "redis-server at unix:" + socketPath();
    }
}
