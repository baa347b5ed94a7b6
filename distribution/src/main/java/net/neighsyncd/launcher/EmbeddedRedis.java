package net.neighsyncd.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server the daemon starts for itself when no database is configured: found via
 * {@code REDIS_SERVER} or {@code PATH}, listening only on a unix socket under the run folder.
 */
final class EmbeddedRedis implements AutoCloseable {
    private final Process process;
    private final Path socket;

    private EmbeddedRedis(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    static EmbeddedRedis start(Path runDir) throws IOException, InterruptedException {
        Path binary = findBinary();
        Path dir = runDir.resolve("redis");
        Files.createDirectories(dir);
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

    private static Path findBinary() throws IOException {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(":")) {
            Path c = Path.of(d.isEmpty() ? "." : d, "redis-server");
            if (Files.isExecutable(c)) {
                return c;
            }
        }
        for (Path c : List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/sbin/redis-server"))) {
            if (Files.isExecutable(c)) {
                return c;
            }
        }
        throw new IOException("no database configured and no redis-server found (set REDIS_SERVER, put it on "
                + "PATH, e.g. apt-get install redis-server, or pass --redis-url / --database-config)");
    }
}
