package net.neighsyncd.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import redis.clients.jedis.Jedis;

/**
 * Latency under paced load, producer side only as issue 11's table measured it (no consumer pops:
 * a consumer's scripts run in the same Redis, and with MONITOR on every command they run is fed to
 * the monitor too, which on two cores took Redis to saturation and put seconds on the daemon's
 * writes): the daemon idle, fully started (its /metrics answers) and with a sentinel neighbor in
 * the key set, the harness adds neighbors at a fixed rate for a fixed time through
 * one {@code ip -batch -} process, writing on every 1 ms tick the lines that are due by then.
 * Latency of a neighbor: from the wall clock read just before its tick's lines were written to
 * {@code ip}'s stdin (so it includes {@code ip} reading and sending it, and the kernel's add) to
 * the first {@code SADD} of its key to {@code NEIGH_TABLE_KEY_SET}, as Redis stamped it in its
 * MONITOR output ({@link SaddMonitor}; MONITOR on, as the figures were measured). Both are
 * {@code CLOCK_REALTIME} of this machine, in microseconds.
 */
final class PacedLoad {
    static final long TICK_NANOS = 1_000_000;
    /** The latency bound the scenario counts arrivals within. */
    static final long WITHIN_MICROS = 5_000_000;
    /** How long after the last add the harness waits for the keys still missing. */
    static final long GRACE_SECONDS = 10;
    /** Neighbors of a warm-up are numbered from here, apart from the measured ones (1..n). */
    static final int WARMUP_FIRST = 1 << 23;

    /** One paced run. Latencies in milliseconds; NaN when nothing arrived. */
    record Result(int rate, double seconds, int added, double addSeconds, int arrived, int within5s, double p50Ms,
            double p99Ms, double maxMs, double daemonCpuMicrosPerNeighbor, int overflows) {
    }

    private PacedLoad() {
    }

    /** CLOCK_REALTIME in microseconds since the epoch: the clock Redis stamps MONITOR lines with. */
    static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * One paced run against a freshly started daemon. With {@code warmupSeconds > 0} the daemon
     * first takes the same rate for that long (neighbors of its own, {@link #WARMUP_FIRST} on), and
     * the measured window starts once the last of them is written: a steady-state daemon, its
     * sync path compiled by the JIT, rather than one that has just started.
     */
    static Result run(Path dist, List<EtcOverride> overrides, int rate, double seconds, double warmupSeconds,
            long timeoutSeconds) throws Exception {
        int n = (int) Math.round(rate * seconds);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-paced");
                Jedis inspect = RedisServer.connect(redis.socketPath(), 0)) {
            ns.addVethPair(NeighborSet.INTERFACE, "peer0");
            try (DaemonProcess d = DaemonProcess.start(dist, overrides, redis.unixUrl(0), ns.name())) {
                ns.exec("neigh", "replace", "192.0.2.1", "lladdr", "02:ff:00:00:00:01", "dev", NeighborSet.INTERFACE,
                        "nud", "permanent");
                long sentinelBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
                while (!inspect.sismember("NEIGH_TABLE_KEY_SET", NeighborSet.INTERFACE + ":192.0.2.1")) {
                    if (System.nanoTime() > sentinelBy || !d.isAlive()) {
                        throw new IllegalStateException("daemon never wrote the sentinel neighbor");
                    }
                    TimeUnit.MILLISECONDS.sleep(5);
                }
                d.overflows(); // returns once /metrics answers: every start level is up
                int warm = (int) Math.round(rate * warmupSeconds);
                if (warm > 0) {
                    add(ns, rate, WARMUP_FIRST, warm, new long[warm + 1]);
                    String last = NeighborSet.key(WARMUP_FIRST + warm - 1);
                    long warmBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
                    while (!inspect.sismember("NEIGH_TABLE_KEY_SET", last)) {
                        if (System.nanoTime() > warmBy || !d.isAlive()) {
                            throw new IllegalStateException("daemon never wrote the warm-up's last neighbor");
                        }
                        TimeUnit.MILLISECONDS.sleep(5);
                    }
                }
                try (SaddMonitor monitor = SaddMonitor.start(redis, "NEIGH_TABLE_KEY_SET")) {
                    long cpuBefore = d.cpuTicks();
                    long[] issuedMicros = new long[n + 1];
                    long started = System.nanoTime();
                    add(ns, rate, 1, n, issuedMicros);
                    double addSeconds = (System.nanoTime() - started) / 1e9;
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
                    while (monitor.count() < n && System.nanoTime() < end && d.isAlive()) {
                        TimeUnit.MILLISECONDS.sleep(5);
                    }
                    long cpuTicks = d.cpuTicks() - cpuBefore;
                    return result(rate, seconds, n, addSeconds, issuedMicros, monitor,
                            ProcessCpu.micros(cpuTicks) / n, d.overflows());
                }
            }
        }
    }

    /**
     * Adds {@code n} neighbors, numbered from {@code first}, at {@code rate} per second through one
     * {@code ip -batch -}: on each 1 ms tick the lines due by then, all stamped with the wall clock
     * read just before they are written ({@code issuedMicros[k]} for the k-th, from 1). A tick that
     * comes late (the harness was descheduled) writes what fell due meanwhile.
     */
    private static void add(Netns ns, int rate, int first, int n, long[] issuedMicros)
            throws IOException, InterruptedException {
        File log = File.createTempFile("neighsyncd-paced-ip", ".log");
        try {
            Process ip = new ProcessBuilder("ip", "-n", ns.name(), "-batch", "-").redirectErrorStream(true)
                    .redirectOutput(log).start();
            try (OutputStream in = ip.getOutputStream()) {
                long start = System.nanoTime();
                int issued = 0;
                StringBuilder lines = new StringBuilder();
                for (long tick = 1; issued < n; tick++) {
                    long left;
                    while ((left = start + tick * TICK_NANOS - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(left);
                    }
                    int due = (int) Math.min(n, (System.nanoTime() - start) * rate / 1_000_000_000L);
                    if (due == issued) {
                        continue;
                    }
                    lines.setLength(0);
                    for (int i = issued + 1; i <= due; i++) {
                        lines.append(NeighborSet.ipBatchLine(first + i - 1)).append('\n');
                    }
                    long now = wallMicros();
                    Arrays.fill(issuedMicros, issued + 1, due + 1, now);
                    in.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
                    in.flush();
                    issued = due;
                }
            }
            if (!ip.waitFor(60, TimeUnit.SECONDS)) {
                ip.destroyForcibly();
                throw new IllegalStateException("ip -batch did not end");
            }
            if (ip.exitValue() != 0) {
                throw new IllegalStateException("ip -batch exited with " + ip.exitValue() + ": "
                        + Files.readString(log.toPath()).strip());
            }
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }

    private static Result result(int rate, double seconds, int n, double addSeconds, long[] issuedMicros,
            SaddMonitor monitor, double cpuMicrosPerNeighbor, int overflows) {
        long[] latencies = new long[n];
        int arrived = 0;
        for (int i = 1; i <= n; i++) {
            Long sadd = monitor.firstSaddMicros(NeighborSet.key(i));
            if (sadd != null) {
                latencies[arrived++] = sadd - issuedMicros[i];
            }
        }
        long[] sorted = Arrays.copyOf(latencies, arrived);
        Arrays.sort(sorted);
        int within = 0;
        for (long l : sorted) {
            if (l <= WITHIN_MICROS) {
                within++;
            }
        }
        return new Result(rate, seconds, n, addSeconds, arrived, within, percentileMs(sorted, 0.50),
                percentileMs(sorted, 0.99), arrived == 0 ? Double.NaN : sorted[arrived - 1] / 1000.0,
                cpuMicrosPerNeighbor, overflows);
    }

    /** Nearest rank: the smallest latency at least a {@code p} share of them do not exceed. */
    static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1000.0;
    }

    /** Figure by figure, the median of the runs (the lower middle one of an even count). */
    static Result median(List<Result> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        Result first = runs.get(0);
        return new Result(first.rate(), first.seconds(), (int) med(runs, Result::added), med(runs, Result::addSeconds),
                (int) med(runs, Result::arrived), (int) med(runs, Result::within5s), med(runs, Result::p50Ms),
                med(runs, Result::p99Ms), med(runs, Result::maxMs), med(runs, Result::daemonCpuMicrosPerNeighbor),
                (int) med(runs, Result::overflows));
    }

    private static double med(List<Result> runs, java.util.function.ToDoubleFunction<Result> figure) {
        double[] v = runs.stream().mapToDouble(figure).sorted().toArray();
        return v[(v.length - 1) / 2];
    }

    static String header() {
        return "| paced rate /s | s | added | adding took s | arrived | within 5 s | p50 ms | p99 ms | max ms "
                + "| daemon CPU µs per neighbor | overflows |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    static String row(Result r) {
        return String.format(Locale.ROOT, "| %d | %.1f | %d | %.3f | %d (%.1f %%) | %d (%.1f %%) | %.3f | %.3f | %.3f | %.1f | %d |",
                r.rate(), r.seconds(), r.added(), r.addSeconds(), r.arrived(), 100.0 * r.arrived() / r.added(),
                r.within5s(), 100.0 * r.within5s() / r.added(), r.p50Ms(), r.p99Ms(), r.maxMs(),
                r.daemonCpuMicrosPerNeighbor(), r.overflows());
    }
}
