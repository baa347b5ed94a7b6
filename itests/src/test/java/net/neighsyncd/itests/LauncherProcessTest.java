package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The launcher script as an operator runs it: its own process, its own Redis, SIGTERM to stop. */
class LauncherProcessTest {
    private static final Path DIST = Path.of(System.getProperty("neighsyncd.dist", "../distribution/target/neighsyncd"))
            .toAbsolutePath();

    @TempDir
    Path work;

    @Test
    void helpListsEveryOptionAndExitsZero() throws Exception {
        // when
        Process p = new ProcessBuilder(DIST.resolve("bin/neighsyncd").toString(), "--help").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // then
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        for (String option : List.of("--database-config", "--redis-url", "--netns", "--config-dir", "--run-dir")) {
            assertTrue(out.contains(option), option + " missing from:\n" + out);
        }
    }

    @Test
    void badOptionIsRefusedWithExitTwo() throws Exception {
        Process p = new ProcessBuilder(DIST.resolve("bin/neighsyncd").toString(), "--redis-url", "http://x")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertTrue(out.contains("--redis-url must start with redis:// or unix://"), out);
    }

    @Test
    void embeddedDefaultSyncsItsOwnNamespaceAndStopsCleanlyOnSigterm() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (Netns ns = Netns.create("nsd-launch")) {
            // given: the daemon runs inside the namespace, as on a host, with no database configured
            ns.addVethPair("Ethernet0", "peer0");
            Path runDir = work.resolve("run");
            Path etc = work.resolve("etc");
            Files.createDirectories(etc);
            for (Path f : Files.list(DIST.resolve("etc")).toList()) {
                Files.copy(f, etc.resolve(f.getFileName()));
            }
            Path log = work.resolve("daemon.log");
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns.name(),
                    DIST.resolve("bin/neighsyncd").toString(), "--config-dir", etc.toString(), "--run-dir",
                    runDir.toString(), "--http-port", "0");
            pb.environment().remove("REDIS_SERVER");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process daemon = pb.start();
            try {
                Path socket = runDir.resolve("redis/redis.sock");
                Wait.until("the daemon's own redis-server", Duration.ofSeconds(30), () -> Files.exists(socket));
                Wait.until("the banner", Duration.ofSeconds(30),
                        () -> Files.readString(log).contains("redis-cli -s " + socket + " KEYS '*NEIGH_TABLE*'"));
                Jedis redis = RedisServer.connect(socket, 0);
                Wait.until("initial sync", Duration.ofSeconds(30),
                        () -> Files.readString(log).contains("initial sync written to APPL_DB"));
                // when: a permanent neighbor is added and then deleted
                ns.exec("neigh", "replace", "10.7.0.1", "lladdr", "02:00:00:00:07:01", "dev", "Ethernet0", "nud",
                        "permanent");
                Wait.until("the set", Duration.ofSeconds(15),
                        () -> redis.hgetAll("_NEIGH_TABLE:Ethernet0:10.7.0.1").equals(
                                Map.of("neigh", "02:00:00:00:07:01", "family", "IPv4")));
                ns.exec("neigh", "del", "10.7.0.1", "dev", "Ethernet0");
                // then
                Wait.until("the delete", Duration.ofSeconds(15),
                        () -> redis.sismember("NEIGH_TABLE_DEL_SET", "Ethernet0:10.7.0.1")
                                && !redis.exists("_NEIGH_TABLE:Ethernet0:10.7.0.1"));
                // and when: SIGTERM
                // (ip netns exec and the script both exec: the process is the JVM; destroy() sends SIGTERM)
                daemon.destroy();
                // then: components stop, and the process exits 0 and takes its redis-server with it
                assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "daemon did not stop");
                String text = Files.readString(log);
                assertEquals(0, daemon.exitValue(), text);
                assertTrue(text.contains("sync engine stopped"), text);
                assertTrue(text.contains("neighsyncd: stopped"), text);
                Wait.until("the own redis-server to be gone", Duration.ofSeconds(15), () -> !answers(socket));
            } finally {
                daemon.destroyForcibly();
            }
        }
    }

    @Test
    void stopsCleanlyAndTakesItsRedisWhenSigtermComesWhileItStarts() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (Netns ns = Netns.create("nsd-early")) {
            // given: the daemon starting on its own Redis, the sync up (level 3), the console and
            // metrics (level 4) still to come or coming
            Path runDir = work.resolve("run");
            Path log = work.resolve("daemon.log");
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns.name(),
                    DIST.resolve("bin/neighsyncd").toString(), "--config-dir", DaemonProcess.configDir(work, Map.of())
                            .toString(), "--run-dir", runDir.toString(), "--http-port", "0");
            pb.environment().remove("REDIS_SERVER");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process daemon = pb.start();
            try {
                Path socket = runDir.resolve("redis/redis.sock");
                Wait.until("the sync engine", Duration.ofSeconds(30),
                        () -> Files.readString(log).contains("sync engine active"));
                // when: SIGTERM at once, before the start has returned
                daemon.destroy();
                // then: a clean stop, status 0, and no redis-server left behind
                assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "daemon did not stop");
                String text = Files.readString(log);
                assertEquals(0, daemon.exitValue(), text);
                assertTrue(text.contains("neighsyncd: stopped"), text);
                Wait.until("the own redis-server to be gone", Duration.ofSeconds(15), () -> !answers(socket));
            } finally {
                daemon.destroyForcibly();
            }
        }
    }

    private static boolean answers(Path socket) {
        try (Jedis j = RedisServer.connect(socket, 0)) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void exitsWithStatusOneWhenTheKernelRestoreFlagNeverComes() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-noflag")) {
            // given: a warm start whose restore flag never comes, and a 3 s wait (the declared kernel
            // restore timeout is 2 s, so the wait is valid)
            ns.addVethPair("Ethernet0", "peer0");
            try (Jedis state = redis.jedis(6)) {
                state.hset("WARM_RESTART_ENABLE_TABLE|swss", "enable", "true");
                state.hset("WARM_RESTART_TABLE|neighsyncd", "restore_count", "0");
            }
            Path etc = DaemonProcess.configDir(work, Map.of(
                    "net.neighsyncd.core", List.of("restoreWaitSeconds = 3"),
                    "net.neighsyncd.restore", List.of("enabled = false", "timeoutSeconds = 2")));
            Path log = work.resolve("daemon.log");
            // when
            try (DaemonProcess daemon = DaemonProcess.start(log, "--redis-url", redis.unixUrl(0), "--netns",
                    ns.name(), "--config-dir", etc.toString(), "--run-dir", work.resolve("run").toString())) {
                // then: it gives up as SONiC's neighsyncd does, with status 1 and one clear line
                assertTrue(daemon.process().waitFor(60, TimeUnit.SECONDS), "the daemon kept waiting");
                String text = daemon.log();
                assertEquals(1, daemon.process().exitValue(), text);
                assertTrue(text.contains("neighbor table restore is not finished after 3 s"), text);
                try (Jedis state = redis.jedis(6)) {
                    assertEquals("restored", state.hget("WARM_RESTART_TABLE|neighsyncd", "state"));
                }
            }
        }
    }
}
