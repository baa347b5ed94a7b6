package net.neighsyncd.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.ScriptCall;
import net.neighsyncd.testsupport.RedisServer;
import redis.clients.jedis.Jedis;

/**
 * End-to-end sync benchmark. For each N: <em>cold sync</em> — N permanent neighbors already in
 * a private namespace, the daemon (the distribution's {@code bin/neighsyncd}, its own JVM)
 * started; <em>streaming burst</em> — the daemon idle after its initial sync, {@code ip -batch}
 * adds N. Each against a fresh real redis-server, with a SONiC-like consumer
 * ({@link OrchagentConsumer}: woken once per channel message, one pop of at most 128 keys per
 * wake-up, as orchagent; it sends its pops as EVAL so that {@link RedisCommandStats} can tell them
 * from the daemon's EVALSHA) subscribed before the daemon writes. Per run: when the first and
 * the last of the N keys were written (the consumer read the first and the N-th channel message,
 * one per new key: {@link ChannelClock}) and when the consumer had popped the last; the Redis
 * time and commands the daemon caused per key ({@link RedisCommandStats}), set against an ideal
 * batched script measured in the same invocation ({@link IdealScriptCeiling}); the daemon's CPU
 * time per neighbor ({@link ProcessCpu}); how long {@code ip -batch} took ({@link IpBatch});
 * whether every key was popped with nothing left in {@code NEIGH_TABLE_KEY_SET}; the daemon's
 * peak RSS (VmHWM), its live heap after a full GC, and the netlink overflows its engine counted
 * (its /metrics). Then latency under paced load ({@link PacedLoad}). Reports medians of the runs.
 *
 * <p>With {@code --producer-only} the consumer holds its pops until the N-th channel message
 * (issue 11's figures were measured that way: the daemon alone on Redis while it writes), then
 * pops everything, so that completeness is still checked; the popped column then says when the
 * held pops were done.
 *
 * <p>Usage: {@code scripts/benchmark [--n 10000,100000|none] [--runs 3] [--paced 2000,10000|none]
 * [--paced-seconds 4] [--paced-warmup 0] [--paced-runs 1] [--producer-only] [--etc-override PID:key=value]...}
 * (root: namespaces).
 */
public final class SyncBenchmark {
    private static final long TIMEOUT_SECONDS = 300;
    /** The neighbor that shows the daemon has synced and is idle, before a burst or paced load. */
    static final String SENTINEL_ADDRESS = "192.0.2.1";

    private final Path dist;
    private final int runs;
    private final List<EtcOverride> overrides;
    private final boolean producerOnly;

    private SyncBenchmark(Path dist, int runs, List<EtcOverride> overrides, boolean producerOnly) {
        this.dist = dist;
        this.runs = runs;
        this.overrides = List.copyOf(overrides);
        this.producerOnly = producerOnly;
    }

    /** The time allowed for one wait of a run: five minutes, plus a minute per 100,000 neighbors. */
    static long timeoutSeconds(int n) {
        return TIMEOUT_SECONDS + 60L * n / 100_000;
    }

    /**
     * One measured run. Seconds from the start (launch, or {@code ip -batch} started) until the
     * first key was written, until every key was, and until the last was popped; Redis microseconds
     * and commands per key for the daemon; the daemon's CPU microseconds per neighbor; seconds
     * {@code ip -batch} took (cold: before the launch, with no daemon running).
     */
    record Sample(double firstSeconds, double seconds, double firstToLastSeconds, double poppedSeconds,
            boolean complete, long peakRssKiB, int overflows, long liveHeapBytes, double redisMicrosPerKey,
            double redisCallsPerKey, double cpuMicrosPerNeighbor, double ipBatchSeconds) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(10_000, 100_000);
        List<Integer> pacedRates = List.of(2_000, 10_000);
        double pacedSeconds = 4;
        double pacedWarmup = 0;
        int pacedRuns = 1;
        int runs = 3;
        Path dist = Path.of("distribution/target/neighsyncd");
        List<EtcOverride> overrides = new ArrayList<>();
        boolean producerOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n":
                    sizes = numbers(args[++i]);
                    break;
                case "--runs":
                    runs = Integer.parseInt(args[++i]);
                    break;
                case "--paced":
                    pacedRates = numbers(args[++i]);
                    break;
                case "--paced-seconds":
                    pacedSeconds = Double.parseDouble(args[++i]);
                    break;
                case "--paced-warmup":
                    pacedWarmup = Double.parseDouble(args[++i]);
                    break;
                case "--paced-runs":
                    pacedRuns = Integer.parseInt(args[++i]);
                    break;
                case "--dist":
                    dist = Path.of(args[++i]);
                    break;
                case "--etc-override":
                    overrides.add(EtcOverride.parse(args[++i]));
                    break;
                case "--producer-only":
                    producerOnly = true;
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
        SyncBenchmark bench = new SyncBenchmark(dist.toAbsolutePath(), runs, overrides, producerOnly);
        if (!overrides.isEmpty()) {
            System.out.println("etc overrides: " + overrides);
        }
        if (producerOnly) {
            System.out.println("producer side only: the consumer holds its pops until every key is written");
        }
        List<String> rows = new ArrayList<>();
        for (int n : sizes) {
            IdealScriptCeiling.Result ideal = bench.ideal(n);
            rows.add(report("cold sync", n, bench.measure(n, true), ideal));
            rows.add(report("streaming burst", n, bench.measure(n, false), ideal));
        }
        List<String> paced = new ArrayList<>();
        for (int rate : pacedRates) {
            List<PacedLoad.Result> results = new ArrayList<>();
            for (int run = 0; run < pacedRuns; run++) {
                PacedLoad.Result r = PacedLoad.run(bench.dist, bench.overrides, rate, pacedSeconds, pacedWarmup,
                        TIMEOUT_SECONDS);
                System.out.printf(Locale.ROOT, "paced %d/s for %.1f s after %.1f s warm-up: %d added in %.3f s, "
                        + "%d arrived, %d within 5 s, p50 %.3f ms, p99 %.3f ms, max %.3f ms, daemon CPU %.1f µs per "
                        + "neighbor, overflows %d%n", rate, pacedSeconds, pacedWarmup, r.added(), r.addSeconds(),
                        r.arrived(), r.within5s(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.daemonCpuMicrosPerNeighbor(),
                        r.overflows());
                results.add(r);
            }
            paced.add(PacedLoad.row(PacedLoad.median(results)));
        }
        if (!rows.isEmpty()) {
            System.out.println();
            System.out.println("| scenario | N | runs | median s written | neighbors/s | median tail s "
                    + "| median s popped (128/wake-up) | all popped, none waiting | peak RSS MiB (max) | overflows (max) "
                    + "| live heap after full GC, MiB (median) | live heap B per neighbor (median) "
                    + "| median s to first key | sync phase neighbors/s | Redis µs per key | Redis commands per key "
                    + "| ideal script µs per key | ideal commands per key | ours / ideal "
                    + "| daemon CPU µs per neighbor | median s ip -batch |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            rows.forEach(System.out::println);
        }
        if (!paced.isEmpty()) {
            System.out.println();
            System.out.printf(Locale.ROOT, "paced: %d run(s) per rate, each after a %.1f s warm-up at its rate; "
                    + "medians of the runs, figure by figure%n", pacedRuns, pacedWarmup);
            System.out.println(PacedLoad.header());
            paced.forEach(System.out::println);
        }
    }

    /** A comma-separated list of numbers, or {@code none} for an empty one. */
    private static List<Integer> numbers(String arg) {
        if (arg.isBlank() || arg.equals("none")) {
            return List.of();
        }
        return Arrays.stream(arg.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /** The ideal script's figures for N: the medians of {@code runs} measurements. */
    private IdealScriptCeiling.Result ideal(int n) throws Exception {
        List<IdealScriptCeiling.Result> results = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            IdealScriptCeiling.Result i = IdealScriptCeiling.measure(n, timeoutSeconds(n));
            System.out.printf(Locale.ROOT, "ideal script N=%d run %d: %.2f Redis µs per key, %.3f commands per key, "
                    + "complete=%s%n", n, r, i.microsPerKey(), i.callsPerKey(), i.complete());
            results.add(i);
        }
        return new IdealScriptCeiling.Result(median(results, IdealScriptCeiling.Result::microsPerKey),
                median(results, IdealScriptCeiling.Result::callsPerKey),
                results.stream().allMatch(IdealScriptCeiling.Result::complete));
    }

    private List<Sample> measure(int n, boolean cold) throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            Sample s = cold ? coldSync(n) : streamingBurst(n);
            System.out.printf(Locale.ROOT,
                    "%s N=%d run %d: first key %.3f s, written %.3f s (first key to last %.3f s), popped %.3f s, "
                    + "complete=%s, peak RSS %d MiB, overflows %d, live heap %.1f MiB, Redis %.2f µs and %.3f "
                    + "commands per key, daemon CPU %.1f µs per neighbor, ip -batch %.3f s%n",
                    cold ? "cold sync" : "streaming burst", n, r, s.firstSeconds(), s.seconds(),
                    s.firstToLastSeconds(), s.poppedSeconds(), s.complete(), s.peakRssKiB() / 1024, s.overflows(),
                    s.liveHeapBytes() / 1048576.0, s.redisMicrosPerKey(), s.redisCallsPerKey(),
                    s.cpuMicrosPerNeighbor(), s.ipBatchSeconds());
            samples.add(s);
        }
        return samples;
    }

    private static <T> double median(List<T> samples, ToDoubleFunction<T> f) {
        double[] v = samples.stream().mapToDouble(f).sorted().toArray();
        return v[v.length / 2];
    }

    private static String report(String name, int n, List<Sample> samples, IdealScriptCeiling.Result ideal) {
        double median = median(samples, Sample::seconds);
        double syncMedian = median(samples, Sample::firstToLastSeconds);
        boolean all = samples.stream().allMatch(Sample::complete);
        long rss = samples.stream().mapToLong(Sample::peakRssKiB).max().orElse(0) / 1024;
        int overflows = samples.stream().mapToInt(Sample::overflows).max().orElse(0);
        double heapMedian = median(samples, s -> (double) s.liveHeapBytes());
        double redis = median(samples, Sample::redisMicrosPerKey);
        return String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.0f | %.3f | %.3f | %s | %d | %d | %.1f | %.0f "
                + "| %.3f | %.0f | %.2f | %.3f | %.2f | %.3f | %.2f | %.1f | %.3f |", name, n, samples.size(), median,
                n / median, syncMedian, median(samples, Sample::poppedSeconds), all ? "yes" : "NO", rss, overflows,
                heapMedian / 1048576.0, heapMedian / n, median(samples, Sample::firstSeconds), n / syncMedian, redis,
                median(samples, Sample::redisCallsPerKey), ideal.microsPerKey(), ideal.callsPerKey(),
                redis / ideal.microsPerKey(), median(samples, Sample::cpuMicrosPerNeighbor),
                median(samples, Sample::ipBatchSeconds));
    }

    private Sample coldSync(int n) throws Exception {
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-bench");
                OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 0, "NEIGH_TABLE", ScriptCall.EVAL);
                Jedis stats = redis.jedis(0)) {
            ns.addVethPair(NeighborSet.INTERFACE, "peer0");
            double ipBatch = IpBatch.addNeighbors(ns, 1, n);
            ConsumerWork consumer = ConsumerWork.since(orchagent);
            ChannelClock clock = ChannelClock.listen(orchagent, n);
            RedisCommandStats.reset(stats);
            holdIfProducerOnly(orchagent);
            long t0 = System.nanoTime();
            try (DaemonProcess d = DaemonProcess.start(dist, overrides, redis.unixUrl(0), ns.name())) {
                // the daemon's CPU time counts from its launch: 0 before
                Arrival a = awaitPopped(orchagent, consumer, n, d, clock, producerOnly);
                return sample(t0, a, 0, ipBatch, redis, orchagent, consumer, stats, d, n);
            }
        }
    }

    private Sample streamingBurst(int n) throws Exception {
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-bench");
                OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 0, "NEIGH_TABLE", ScriptCall.EVAL);
                Jedis stats = redis.jedis(0)) {
            ns.addVethPair(NeighborSet.INTERFACE, "peer0");
            try (DaemonProcess d = DaemonProcess.start(dist, overrides, redis.unixUrl(0), ns.name())) {
                // the daemon is idle once a sentinel neighbor has gone through to the consumer
                ns.exec("neigh", "replace", SENTINEL_ADDRESS, "lladdr", "02:ff:00:00:00:01", "dev",
                        NeighborSet.INTERFACE, "nud", "permanent");
                orchagent.awaitKeys(List.of(NeighborSet.INTERFACE + ":" + SENTINEL_ADDRESS),
                        Duration.ofSeconds(TIMEOUT_SECONDS));
                orchagent.awaitIdle(Duration.ofSeconds(TIMEOUT_SECONDS));
                ConsumerWork consumer = ConsumerWork.since(orchagent);
                ChannelClock clock = ChannelClock.listen(orchagent, n);
                RedisCommandStats.reset(stats);
                long cpuBefore = d.cpuTicks();
                holdIfProducerOnly(orchagent);
                long t0 = System.nanoTime();
                double ipBatch = IpBatch.addNeighbors(ns, 1, n);
                Arrival a = awaitPopped(orchagent, consumer, n, d, clock, producerOnly);
                return sample(t0, a, cpuBefore, ipBatch, redis, orchagent, consumer, stats, d, n);
            }
        }
    }

    private void holdIfProducerOnly(OrchagentConsumer orchagent) {
        if (producerOnly) {
            orchagent.hold();
        }
    }

    /**
     * The run's sample; complete when every key was written and popped and, once the consumer
     * handled every wake-up it got, nothing is left in the key set. Redis's counters are read
     * once the consumer is idle: they hold the daemon's whole run and every pop of the consumer's.
     */
    private static Sample sample(long t0, Arrival a, long cpuBefore, double ipBatch, RedisServer redis,
            OrchagentConsumer orchagent, ConsumerWork consumer, Jedis stats, DaemonProcess d, int n)
            throws Exception {
        boolean complete = a.complete();
        orchagent.awaitIdle(Duration.ofSeconds(TIMEOUT_SECONDS));
        consumer.drain();
        RedisCommandStats commands = RedisCommandStats.read(stats);
        System.out.println("  the daemon's Redis commands: " + commands.producerBreakdown());
        if (complete) {
            long waiting = stats.scard("NEIGH_TABLE_KEY_SET");
            complete = waiting == 0;
            if (!complete) {
                System.out.println("  " + waiting + " keys waiting in NEIGH_TABLE_KEY_SET after the consumer was idle, e.g. "
                        + stats.srandmember("NEIGH_TABLE_KEY_SET", 3) + "; " + orchagent.summary());
                TimeUnit.SECONDS.sleep(2);
                orchagent.awaitIdle(Duration.ofSeconds(TIMEOUT_SECONDS));
                System.out.println("  2 s later, idle again: " + stats.scard("NEIGH_TABLE_KEY_SET")
                        + " keys waiting; " + orchagent.summary());
            }
        }
        double cpuMicros = ProcessCpu.micros(a.cpuTicksWritten() - cpuBefore);
        return new Sample((a.firstNanos() - t0) / 1e9, (a.writtenNanos() - t0) / 1e9,
                (a.writtenNanos() - a.firstNanos()) / 1e9, (a.poppedNanos() - t0) / 1e9, complete, d.peakRssKiB(),
                d.overflows(), d.liveHeapBytes(), (double) commands.producerMicros() / n,
                (double) commands.producerCalls(consumer) / n, cpuMicros / n, ipBatch);
    }

    /**
     * When the first of the keys was written and when the last was (the consumer read the first
     * and the N-th channel message: one per new key), the daemon's CPU ticks when the harness saw
     * the last, when the consumer had popped the last, and whether all that happened before the
     * wait ended.
     */
    record Arrival(long firstNanos, long writtenNanos, long cpuTicksWritten, long poppedNanos, boolean complete) {
    }

    /**
     * Waits until the consumer has read {@code expected} channel messages ({@code clock}) and
     * popped {@code expected} keys since {@code consumer} began counting, polling every 5 ms; the
     * daemon's CPU time is read at the first poll that sees all written, and a consumer held
     * ({@code releaseWhenWritten}) is released then.
     */
    private static Arrival awaitPopped(OrchagentConsumer orchagent, ConsumerWork consumer, long expected,
            DaemonProcess d, ChannelClock clock, boolean releaseWhenWritten) throws InterruptedException {
        long cpuWritten = -1;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds((int) expected));
        while (System.nanoTime() < end && d.isAlive()) {
            d.sampleRss();
            consumer.drain();
            if (cpuWritten < 0 && clock.lastNanos() != 0) {
                cpuWritten = d.cpuTicks();
                if (releaseWhenWritten) {
                    orchagent.release();
                }
            }
            if (cpuWritten >= 0 && consumer.keys() >= expected) {
                return new Arrival(clock.firstNanos(), clock.lastNanos(), cpuWritten, System.nanoTime(), true);
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        long now = System.nanoTime();
        if (releaseWhenWritten) {
            orchagent.release();
        }
        System.out.println("  not all written and popped in time: " + orchagent.summary());
        return new Arrival(clock.firstNanos() == 0 ? now : clock.firstNanos(),
                clock.lastNanos() == 0 ? now : clock.lastNanos(), cpuWritten >= 0 ? cpuWritten : d.cpuTicks(), now,
                false);
    }
}
