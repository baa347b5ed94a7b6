package net.neighsyncd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.neighsyncd.redisserver.RedisServerProcess;

/**
 * A real redis-server the daemon starts for itself when no database is configured: found via
 * {@code REDIS_SERVER} or {@code PATH}, else the one shipped in the embedded-redis jar, listening
 * only on a unix socket under the run folder ({@code run/redis/redis.sock}, its output in
 * {@code run/redis/redis.log}). Started and stopped by the project's one launcher,
 * {@link RedisServerProcess}.
 */
final class EmbeddedRedis implements AutoCloseable {
    private final RedisServerProcess server;

    private EmbeddedRedis(RedisServerProcess server) {
        this.server = server;
    }

    static EmbeddedRedis start(Path runDir) throws IOException, InterruptedException {
        return start(runDir, System.getenv());
    }

    /** Starts redis-server, looking it up in {@code env} ({@code REDIS_SERVER}, {@code PATH}). */
    static EmbeddedRedis start(Path runDir, Map<String, String> env) throws IOException, InterruptedException {
        Path dir = runDir.resolve("redis");
        Files.createDirectories(dir);
        // keyspace notifications on, as in SONiC's Redis: CONFIG_DB is then followed, not polled
        return new EmbeddedRedis(RedisServerProcess.start(findBinary(env, dir), dir,
                java.util.List.of("--notify-keyspace-events", "AKE")));
    }

    Path socket() {
        return server.socket();
    }

    /** Stops the server: SIGTERM, and SIGKILL when it has not exited within 10 s. */
    @Override
    public void close() throws InterruptedException {
        server.stop();
    }

    /** {@code REDIS_SERVER}, then {@code PATH}, then the binary shipped in the embedded-redis jar. */
    static Path findBinary(Map<String, String> env, Path dir) throws IOException {
        Optional<Path> found = RedisServerProcess.find(env);
        if (found.isPresent()) {
            return found.get();
        }
        String resource = shippedBinaryName();
        try (InputStream in = resource == null ? null : EmbeddedRedis.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("no database configured and no redis-server found (set REDIS_SERVER, put "
                        + "it on PATH, e.g. apt-get install redis-server, or pass --redis-url / --database-config)");
            }
            Path target = dir.resolve("redis-server");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
            return target;
        }
    }

    /** The redis-server of the embedded-redis jar for this machine, or null when it ships none. */
    private static String shippedBinaryName() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        switch (System.getProperty("os.arch", "")) {
            case "amd64":
            case "x86_64":
                return "redis-server-6.2.6-v5-linux-amd64";
            case "aarch64":
            case "arm64":
                return "redis-server-6.2.7-linux-arm64";
            default:
                return null;
        }
    }
}
