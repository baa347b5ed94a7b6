package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * About a minute of everything going wrong at once: neighbor churn the whole time, Redis killed
 * and restarted empty twice, a burst that overflows the netlink socket, and the daemon itself
 * killed with SIGKILL and started again. At the end APPL_DB must equal the kernel.
 */
class ChaosTest {
    private static final int POOL = 4_000;
    /** The daemon's warning when an overflow starts a resync. */
    private static final String OVERFLOW_WARNING = "netlink overflow: kernel messages were lost";
    /** The daemon's line when a resync after an overflow is complete. */
    private static final String RESYNC_DONE = "resync after netlink overflow complete";

    @TempDir
    Path work;

    @Test
    void applDbEqualsTheKernelAfterAMinuteOfFaults() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-chaos")) {
            ns.addVethPair("Ethernet0", "peer0");
            Path etc = DaemonProcess.configDir(work, Map.of(
                    "net.neighsyncd.core", List.of("auditIntervalMillis = 200", "retryMaxMillis = 500"),
                    "net.neighsyncd.netlink", List.of("receiveBufferBytes = 4096")));
            // one log per daemon process, so that each count belongs to the process that logged it
            Path log = work.resolve("daemon-1.log");
            String[] options = {"--redis-url", redis.unixUrl(0), "--netns", ns.name(), "--config-dir", etc.toString(),
                "--run-dir", work.resolve("run").toString()};
            AtomicLong events = new AtomicLong();
            AtomicBoolean churning = new AtomicBoolean(true);
            long t0 = System.nanoTime();
            DaemonProcess daemon = DaemonProcess.start(log, options);
            try {
                Wait.until("the daemon's first sync", Duration.ofSeconds(30),
                        () -> daemon.count("initial sync written to APPL_DB") > 0);
                AtomicInteger extraBurst = new AtomicInteger();
                Thread churn = new Thread(() -> churn(ns, events, churning, extraBurst), "churn");
                churn.start();
                // Redis dies and comes back empty
                Thread.sleep(5_000);
                redis.kill();
                redis.restart();
                // one burst the 4 KiB socket cannot hold
                Thread.sleep(5_000);
                extraBurst.set(20_000);
                // the daemon dies by SIGKILL and is started again
                Thread.sleep(5_000);
                daemon.kill();
                Thread.sleep(1_000);
                DaemonProcess second = DaemonProcess.start(work.resolve("daemon-2.log"), options);
                try {
                    // Redis dies once more
                    Thread.sleep(10_000);
                    redis.kill();
                    redis.restart();
                    Thread.sleep(10_000);
                    churning.set(false);
                    churn.join();
                    // orchagent (back with Redis) subscribes now: its initial count covers what is pending
                    KernelAndApplDb tables = new KernelAndApplDb(ns, "Ethernet0", redis);
                    Duration took;
                    try {
                        took = tables.awaitEqual(Duration.ofSeconds(60));
                    } finally {
                        tables.close();
                    }
                    // (awaitEqual fails the test when the tables do not converge)
                    long overflows = daemon.count(OVERFLOW_WARNING);
                    long resyncs = daemon.count(RESYNC_DONE);
                    System.out.printf(Locale.ROOT, "chaos: %.0f s, %d kernel events; first daemon: %d overflow "
                            + "episodes, %d overflow resyncs; second daemon: %d overflow episodes; %d entries, "
                            + "converged %.2f s after the churn stopped%n",
                            (System.nanoTime() - t0) / 1e9, events.get(), overflows, resyncs,
                            second.count(OVERFLOW_WARNING), tables.kernel().size(), took.toMillis() / 1e3);
                    assertTrue(overflows > 0, "the burst forced on the first daemon's 4 KiB socket must have "
                            + "overflowed it");
                } finally {
                    second.close();
                }
            } finally {
                churning.set(false);
                daemon.close();
            }
        }
    }

    /**
     * Batches of adds, MAC changes and deletes over a pool of addresses until told to stop, plus
     * one large burst when asked. One thread only: {@code ip} gives up a batch at a failed delete,
     * so deletes name only neighbors this thread knows are there.
     */
    private static void churn(Netns ns, AtomicLong events, AtomicBoolean churning, AtomicInteger extraBurst) {
        Random random = new Random(42);
        boolean[] present = new boolean[POOL];
        while (churning.get()) {
            int n = 200 + extraBurst.getAndSet(0);
            ns.batch(burst(n, random, present));
            events.addAndGet(n);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static List<String> burst(int n, Random random, boolean[] present) {
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int a = random.nextInt(POOL);
            String ip = "10.4." + (a >> 8) + "." + (a & 0xFF);
            if (present[a] && random.nextInt(4) == 0) {
                present[a] = false;
                lines.add("neigh del " + ip + " dev Ethernet0");
            } else {
                present[a] = true;
                lines.add(String.format(Locale.ROOT, "neigh replace %s lladdr 02:04:%02x:%02x:%02x:%02x dev Ethernet0 "
                        + "nud permanent", ip, random.nextInt(256), a >> 8, a & 0xFF, random.nextInt(256)));
            }
        }
        return lines;
    }
}
