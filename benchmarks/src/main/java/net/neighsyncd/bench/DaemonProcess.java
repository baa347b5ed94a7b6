package net.neighsyncd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The distribution's launcher in its own process, with a private copy of etc/ (with the
 * benchmark's {@link EtcOverride}s applied). The launcher
 * script execs the JVM, so the process's id is the daemon's.
 */
final class DaemonProcess implements AutoCloseable {
    /** The engine's overflow counter as /metrics exports it (EngineCounters.overflows). */
    static final String OVERFLOW_METRIC = "neighsyncd_netlink_overflows_total";

    private final Process process;
    private final Path work;
    private final int httpPort;
    private long peakRssKiB;

    private DaemonProcess(Process process, Path work, int httpPort) {
        this.process = process;
        this.work = work;
        this.httpPort = httpPort;
    }

    /** Starts the daemon of {@code dist} with its {@code etc/} copied and {@code overrides} applied to the copy. */
    static DaemonProcess start(Path dist, List<EtcOverride> overrides, String redisUrl, String netns)
            throws IOException {
        Path work = Files.createTempDirectory("neighsyncd-bench");
        Path etc = work.resolve("etc");
        Files.createDirectories(etc);
        try (Stream<Path> s = Files.list(dist.resolve("etc"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, etc.resolve(p.getFileName()));
            }
        }
        for (EtcOverride o : overrides) {
            o.applyTo(etc);
        }
        Path log = work.resolve("daemon.log");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/neighsyncd").toString(), "--redis-url", redisUrl,
                "--netns", netns, "--config-dir", etc.toString(), "--run-dir", work.resolve("run").toString(),
                "--http-port", Integer.toString(port));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return new DaemonProcess(pb.start(), work, port);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The daemon's CPU time so far (user + system, all threads), in clock ticks; see {@link ProcessCpu}. */
    long cpuTicks() {
        return ProcessCpu.ticks(process.pid());
    }

    /** VmHWM is the kernel's own peak; reading it now and then keeps the last value seen. */
    void sampleRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssKiB = Math.max(peakRssKiB, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone; keep the last value
        }
    }

    long peakRssKiB() {
        sampleRss();
        return peakRssKiB;
    }

    /**
     * Bytes of live objects on the daemon's heap: {@code jcmd <pid> GC.class_histogram} runs a
     * full GC first and ends with the total of what survived.
     */
    long liveHeapBytes() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        jcmd.waitFor();
        return out.lines().filter(l -> l.trim().startsWith("Total")).findFirst()
                .map(l -> Long.parseLong(l.trim().split("\\s+")[2]))
                .orElseThrow(() -> new IOException("no total in jcmd's class histogram: " + out));
    }

    /**
     * Netlink overflows the engine counted, read from its /metrics (the typed engine counter). The
     * sync starts before Felix HTTP does, so a small cold sync can be done before /metrics is up:
     * it is asked again until it answers (at most a minute).
     */
    int overflows() throws IOException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest metrics = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                // a request Jetty accepted just before it restarted with its configuration is never
                // answered: ask again rather than wait forever
                .timeout(java.time.Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            String body = null;
            while (body == null) {
                try {
                    java.net.http.HttpResponse<String> r = http.send(metrics,
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        body = r.body();
                    }
                } catch (IOException e) {
                    // Felix HTTP not listening yet, or restarting with its configuration
                }
                if (body == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("/metrics did not answer within 60 s");
                    }
                    Thread.sleep(20);
                }
            }
            // one series per pipeline ({namespace="…"}): their sum
            List<String> series = body.lines()
                    .filter(l -> l.startsWith(OVERFLOW_METRIC + " ") || l.startsWith(OVERFLOW_METRIC + "{")).toList();
            if (series.isEmpty()) {
                throw new IOException(OVERFLOW_METRIC + " not in /metrics");
            }
            double sum = 0;
            for (String l : series) {
                sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1).trim());
            }
            return (int) sum;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading /metrics", e);
        }
    }

    @Override
    public void close() throws Exception {
        sampleRss();
        if (System.getenv("NEIGHSYNCD_BENCH_NMT") != null) {
            // with NEIGHSYNCD_JAVA_OPTS=-XX:NativeMemoryTracking=summary: where the RSS goes
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), "VM.native_memory", "summary")
                    .redirectErrorStream(true).start();
            System.out.println(new String(jcmd.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
            jcmd.waitFor();
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String keep = System.getenv("NEIGHSYNCD_BENCH_LOG_DIR");
        if (keep != null) {
            // the daemon's log of each run, named by its pid, for a timeline of what it did
            Path dir = Path.of(keep);
            Files.createDirectories(dir);
            Files.copy(work.resolve("daemon.log"), dir.resolve("daemon-" + process.pid() + ".log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> s = Files.walk(work)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
