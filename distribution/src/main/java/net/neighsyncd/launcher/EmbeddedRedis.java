package net.neighsyncd.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server the daemon starts for itself when no database is configured: found via
 * {@code REDIS_SERVER} or {@code PATH}, else the one shipped in the embedded-redis jar, listening
 * only on a unix socket under the run folder.
 */
final class EmbeddedRedis implements AutoCloseable {
    private final Process process;
    private final Path socket;

    private EmbeddedRedis(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    static EmbeddedRedis start(Path runDir) throws IOException, InterruptedException {
        return start(runDir, System.getenv());
    }

    /** Starts redis-server, looking it up in {@code env} ({@code REDIS_SERVER}, {@code PATH}). */
    static EmbeddedRedis start(Path runDir, Map<String, String> env) throws IOException, InterruptedException {
        Path dir = runDir.resolve("redis");
        Files.createDirectories(dir);
        Path binary = findBinary(env, dir);
        Path socket = dir.resolve("redis.sock");
        Files.deleteIfExists(socket);
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--port", "0", "--unixsocket", socket.toString(),
                "--unixsocketperm", "700", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir",
                dir.toString(), "--logfile", dir.resolve("redis.log").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("redis.out").toFile());
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!p.isAlive()) {
                throw new IOException(binary + " exited with " + p.exitValue() + "; see " + dir.resolve("redis.log"));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException(binary + " did not open " + socket + " within 10 s");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return new EmbeddedRedis(p, socket);
    }

    Path socket() {
        return socket;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** {@code REDIS_SERVER}, then {@code PATH}, then the binary shipped in the embedded-redis jar. */
    static Path findBinary(Map<String, String> env, Path dir) throws IOException {
        String explicit = env.get("REDIS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        for (String d : env.getOrDefault("PATH", "").split(":")) {
            if (d.isEmpty()) {
                continue;
            }
            Path c = Path.of(d, "redis-server");
            if (Files.isExecutable(c)) {
                return c;
            }
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
