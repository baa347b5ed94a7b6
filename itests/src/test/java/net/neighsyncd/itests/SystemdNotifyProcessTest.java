package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/neighsyncd} started as systemd starts a {@code Type=notify} unit: NOTIFY_SOCKET and
 * WATCHDOG_USEC in its environment, a unix datagram socket standing in for systemd (bound by a
 * small python3 script, as Java 17 has no unix datagram channel and this module has no JNA).
 */
class SystemdNotifyProcessTest {
    private static final String RECEIVER = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "s.bind(sys.argv[1])",
            "print('bound', flush=True)",
            "while True:",
            "    print(s.recv(4096).decode().replace('\\n', '|'), flush=True)");

    @TempDir
    Path work;

    @Test
    void tellsSystemdReadyAfterTheInitialSyncFeedsTheWatchdogAndSaysStoppingOnSigterm() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        assumeTrue(python3(), "python3 is needed to stand in for systemd's notify socket");
        Path notify = work.resolve("notify");
        Process receiver = new ProcessBuilder("python3", "-c", RECEIVER, notify.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    received.add(line);
                }
            } catch (java.io.IOException e) {
                // the receiver ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-sdnot")) {
            assertEquals("bound", received.poll(10, TimeUnit.SECONDS));
            // given
            ns.addVethPair("Ethernet0", "peer0");
            Path log = work.resolve("daemon.log");
            ProcessBuilder pb = new ProcessBuilder(DaemonProcess.DIST.resolve("bin/neighsyncd").toString(),
                    "--redis-url", redis.unixUrl(0), "--netns", ns.name(), "--config-dir",
                    DaemonProcess.configDir(work, Map.of()).toString(), "--run-dir", work.resolve("run").toString(),
                    "--http-port", "0").redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().remove("REDIS_SERVER");
            pb.environment().put("NOTIFY_SOCKET", notify.toString());
            pb.environment().put("WATCHDOG_USEC", "2000000");
            // when
            Process daemon = pb.start();
            try {
                // then: READY=1 comes once the initial sync is written, and not before
                List<String> beforeReady = new ArrayList<>();
                String ready = null;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (ready == null && System.nanoTime() < end) {
                    String m = received.poll(1, TimeUnit.SECONDS);
                    if (m != null && m.startsWith("READY=1")) {
                        ready = m;
                    } else if (m != null) {
                        beforeReady.add(m);
                    }
                }
                assertNotNull(ready, "no READY=1; got " + beforeReady + "\n" + Files.readString(log));
                assertTrue(ready.matches("READY=1\\|STATUS=syncing; \\d+ neighbors"), ready);
                Wait.until("the initial sync in the log", Duration.ofSeconds(5),
                        () -> Files.readString(log).contains("initial sync written to APPL_DB"));
                // and WATCHDOG=1 keeps coming: three pings after READY=1 (the first comes with it), each
                // awaited; the 30 s poll is only a guard against a daemon that stopped feeding the watchdog
                List<String> afterReady = new ArrayList<>();
                for (int pings = 0; pings < 3;) {
                    String m = received.poll(30, TimeUnit.SECONDS);
                    assertNotNull(m, "WATCHDOG=1 stopped after " + pings + " pings: " + afterReady + "\n"
                            + Files.readString(log));
                    afterReady.add(m);
                    if (m.equals("WATCHDOG=1")) {
                        pings++;
                    }
                }
                // and when: SIGTERM, as systemctl stop sends
                daemon.destroy();
                // then: STOPPING=1, and a clean exit 0
                String stopping = null;
                end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (stopping == null && System.nanoTime() < end) {
                    String m = received.poll(1, TimeUnit.SECONDS);
                    if (m != null && m.startsWith("STOPPING=1")) {
                        stopping = m;
                    }
                }
                assertNotNull(stopping, Files.readString(log));
                assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "daemon did not stop");
                assertEquals(0, daemon.exitValue(), Files.readString(log));
            } finally {
                daemon.destroyForcibly();
            }
        } finally {
            receiver.destroyForcibly();
        }
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import socket; socket.AF_UNIX").start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }
}
