package net.neighsyncd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.RedisServer;
import redis.clients.jedis.Jedis;

/**
 * End-to-end sync benchmark. For each N: <em>cold sync</em> — N permanent neighbors already in
 * a private namespace, the daemon (the distribution's {@code bin/neighsyncd}, its own JVM)
 * started; <em>streaming burst</em> — the daemon idle after its initial sync, {@code ip -batch}
 * adds N. Each against a fresh real redis-server, with a SONiC-like consumer
 * ({@link OrchagentConsumer}: woken once per channel message, one pop of at most 128 keys per
 * wake-up, as orchagent) subscribed before the daemon writes. Two times per run: until all N
 * keys were written (the consumer received N channel messages, one per new key) and until the
 * consumer popped the last of them. Reports medians of the runs, the rate, whether every key was
 * popped with nothing left in {@code NEIGH_TABLE_KEY_SET}, the daemon's peak RSS (VmHWM) and the
 * netlink overflows its engine counted (read from its /metrics).
 *
 * <p>Usage: {@code scripts/benchmark [--n 10000,100000] [--runs 3]} (root: namespaces).
 */
public final class SyncBenchmark {
    private static final long TIMEOUT_SECONDS = 300;

    private final Path dist;
    private final int runs;

    private SyncBenchmark(Path dist, int runs) {
        this.dist = dist;
        this.runs = runs;
    }

    /**
     * One measured run: seconds until every key was written and until the last was popped, the
     * time from the first key written to the last, and whether every key was popped.
     */
    record Sample(double seconds, double firstToLastSeconds, double poppedSeconds, boolean complete, long peakRssKiB,
            int overflows, long liveHeapBytes) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(10_000, 100_000);
        int runs = 3;
        Path dist = Path.of("distribution/target/neighsyncd");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n":
                    sizes = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::parseInt).toList();
                    break;
                case "--runs":
                    runs = Integer.parseInt(args[++i]);
                    break;
                case "--dist":
                    dist = Path.of(args[++i]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Netns.usable()) {
            System.err.println("benchmark: " + Netns.whyUnusable());
            System.exit(2);
        }
        if (!RedisServer.available()) {
            System.err.println("benchmark: " + RedisServer.whyUnavailable());
            System.exit(2);
        }
        SyncBenchmark bench = new SyncBenchmark(dist.toAbsolutePath(), runs);
        List<String> rows = new ArrayList<>();
        for (int n : sizes) {
            rows.add(bench.report("cold sync", n, bench.measure(n, true)));
            rows.add(bench.report("streaming burst", n, bench.measure(n, false)));
        }
        System.out.println();
        System.out.println("| scenario | N | runs | median s written | neighbors/s | median tail s "
                + "| median s popped (128/wake-up) | all popped, none waiting | peak RSS MiB (max) | overflows (max) "
                + "| live heap after full GC, MiB (median) | live heap B per neighbor (median) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private List<Sample> measure(int n, boolean cold) throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            Sample s = cold ? coldSync(n) : streamingBurst(n);
            System.out.printf(Locale.ROOT,
                    "%s N=%d run %d: written %.3f s (first key to last %.3f s), popped %.3f s, complete=%s, "
                    + "peak RSS %d MiB, overflows %d, live heap %.1f MiB%n", cold ? "cold sync" : "streaming burst", n, r,
                    s.seconds(), s.firstToLastSeconds(), s.poppedSeconds(), s.complete(), s.peakRssKiB() / 1024,
                    s.overflows(), s.liveHeapBytes() / 1048576.0);
            samples.add(s);
        }
        return samples;
    }

    private String report(String name, int n, List<Sample> samples) {
        double[] secs = samples.stream().mapToDouble(Sample::seconds).sorted().toArray();
        double median = secs[secs.length / 2];
        double[] sync = samples.stream().mapToDouble(Sample::firstToLastSeconds).sorted().toArray();
        double syncMedian = sync[sync.length / 2];
        double[] popped = samples.stream().mapToDouble(Sample::poppedSeconds).sorted().toArray();
        double poppedMedian = popped[popped.length / 2];
        boolean all = samples.stream().allMatch(Sample::complete);
        long rss = samples.stream().mapToLong(Sample::peakRssKiB).max().orElse(0) / 1024;
        int overflows = samples.stream().mapToInt(Sample::overflows).max().orElse(0);
        long[] heap = samples.stream().mapToLong(Sample::liveHeapBytes).sorted().toArray();
        long heapMedian = heap[heap.length / 2];
        return String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.0f | %.3f | %.3f | %s | %d | %d | %.1f | %d |", name,
                n, samples.size(), median, n / median, syncMedian, poppedMedian, all ? "yes" : "NO", rss, overflows,
                heapMedian / 1048576.0, heapMedian / n);
    }

    private Sample coldSync(int n) throws Exception {
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-bench");
                OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 0, "NEIGH_TABLE")) {
            ns.addVethPair("Ethernet0", "peer0");
            addNeighbors(ns, n);
            long t0 = System.nanoTime();
            try (DaemonProcess d = DaemonProcess.start(dist, redis.unixUrl(0), ns.name())) {
                Arrival a = awaitPopped(orchagent, 0, n, d);
                return sample(t0, a, redis, orchagent, d);
            }
        }
    }

    private Sample streamingBurst(int n) throws Exception {
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-bench");
                OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 0, "NEIGH_TABLE")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (DaemonProcess d = DaemonProcess.start(dist, redis.unixUrl(0), ns.name())) {
                // the daemon is idle once a sentinel neighbor has gone through to the consumer
                ns.exec("neigh", "replace", "192.0.2.1", "lladdr", "02:ff:00:00:00:01", "dev", "Ethernet0", "nud",
                        "permanent");
                if (!awaitPopped(orchagent, 0, 1, d).complete()) {
                    throw new IllegalStateException("daemon never synced the sentinel neighbor");
                }
                long t0 = System.nanoTime();
                addNeighbors(ns, n);
                Arrival a = awaitPopped(orchagent, 1, n, d);
                return sample(t0, a, redis, orchagent, d);
            }
        }
    }

    /**
     * The run's sample; complete when every key was written and popped and, once the consumer
     * handled every wake-up it got, nothing is left in the key set.
     */
    private static Sample sample(long t0, Arrival a, RedisServer redis, OrchagentConsumer orchagent, DaemonProcess d)
            throws Exception {
        boolean complete = a.complete();
        if (complete) {
            orchagent.awaitIdle(java.time.Duration.ofSeconds(TIMEOUT_SECONDS));
            try (Jedis jedis = redis.jedis(0)) {
                long waiting = jedis.scard("NEIGH_TABLE_KEY_SET");
                complete = waiting == 0;
                if (!complete) {
                    System.out.println("  " + waiting + " keys waiting in NEIGH_TABLE_KEY_SET after the consumer was idle, e.g. "
                            + jedis.srandmember("NEIGH_TABLE_KEY_SET", 3) + "; " + orchagent.summary());
                    TimeUnit.SECONDS.sleep(2);
                    orchagent.awaitIdle(java.time.Duration.ofSeconds(TIMEOUT_SECONDS));
                    System.out.println("  2 s later, idle again: " + jedis.scard("NEIGH_TABLE_KEY_SET")
                            + " keys waiting; " + orchagent.summary());
                }
            }
        }
        return new Sample((a.writtenNanos() - t0) / 1e9, (a.writtenNanos() - a.firstNanos()) / 1e9,
                (a.poppedNanos() - t0) / 1e9, complete, d.peakRssKiB(), d.overflows(), d.liveHeapBytes());
    }

    /** N permanent IPv4 neighbors on Ethernet0 from 10.0.0.1 upwards, one {@code ip -batch}. */
    private static void addNeighbors(Netns ns, int n) {
        List<String> lines = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            lines.add(String.format(Locale.ROOT,
                    "neigh replace 10.%d.%d.%d lladdr 02:00:00:%02x:%02x:%02x dev Ethernet0 nud permanent",
                    (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF));
        }
        ns.batch(lines);
    }

    /**
     * When the first of the keys was written, when the last was (the consumer had received that
     * many channel messages: one per new key), when the consumer had popped the last, and whether
     * both happened before the wait ended.
     */
    record Arrival(long firstNanos, long writtenNanos, long poppedNanos, boolean complete) {
    }

    /**
     * Waits until the consumer has received {@code expected} more channel messages and popped
     * {@code expected} more keys than the {@code baseline} it had before the run began, polling its
     * counters every 5 ms.
     */
    private static Arrival awaitPopped(OrchagentConsumer orchagent, long baseline, long expected, DaemonProcess d)
            throws InterruptedException {
        long first = 0;
        long written = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < end && d.isAlive()) {
            d.sampleRss();
            long messages = orchagent.wakeUpsReceived() - orchagent.initialWakeUps() - baseline;
            long popped = orchagent.keysPopped() - baseline;
            orchagent.takeAll(); // only the counters matter here
            long now = System.nanoTime();
            if (first == 0 && messages > 0) {
                first = now;
            }
            if (written == 0 && messages >= expected) {
                written = now;
            }
            if (written != 0 && popped >= expected) {
                return new Arrival(first, written, now, true);
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        long now = System.nanoTime();
        return new Arrival(first == 0 ? now : first, written == 0 ? now : written, now, false);
    }

    /** The engine's overflow counter as /metrics exports it (EngineCounters.overflows). */
    static final String OVERFLOW_METRIC = "neighsyncd_netlink_overflows_total";

    /** The distribution's launcher in its own process, with a private copy of etc/. */
    private static final class DaemonProcess implements AutoCloseable {
        private final Process process;
        private final Path work;
        private final int httpPort;
        private long peakRssKiB;

        private DaemonProcess(Process process, Path work, int httpPort) {
            this.process = process;
            this.work = work;
            this.httpPort = httpPort;
        }

        static DaemonProcess start(Path dist, String redisUrl, String netns) throws IOException {
            Path work = Files.createTempDirectory("neighsyncd-bench");
            Path etc = work.resolve("etc");
            Files.createDirectories(etc);
            try (Stream<Path> s = Files.list(dist.resolve("etc"))) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.copy(p, etc.resolve(p.getFileName()));
                }
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

        /** Netlink overflows the engine counted, read from its /metrics (the typed engine counter). */
        int overflows() throws IOException {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            try {
                String body = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                return body.lines().filter(l -> l.startsWith(OVERFLOW_METRIC + " ")).findFirst()
                        .map(l -> (int) Double.parseDouble(l.substring(OVERFLOW_METRIC.length() + 1).trim()))
                        .orElseThrow(() -> new IOException(OVERFLOW_METRIC + " not in /metrics"));
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
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
