package net.neighsyncd.systemd.internal;

import static net.neighsyncd.systemd.internal.FakeEngine.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.unixdatagram.UnixDatagramReceiver;
import net.neighsyncd.unixdatagram.UnixDatagramReceiver.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component against a real unix datagram socket standing in for systemd. */
class SystemdNotifierTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private final FakeEngine engine = new FakeEngine();
    private final SystemdNotifier notifier = new SystemdNotifier();

    @AfterEach
    void stop() {
        notifier.deactivate();
    }

    private UnixDatagramReceiver systemd() {
        return new UnixDatagramReceiver(dir.resolve("notify").toString());
    }

    @Test
    void sendsReadyAfterTheInitialSyncAndNotBefore() throws Exception {
        try (UnixDatagramReceiver systemd = systemd()) {
            // given an engine still syncing
            notifier.engine = engine;
            assertTrue(notifier.start(Map.of("NOTIFY_SOCKET", systemd.address()), PID));
            assertEquals("STATUS=initial sync in progress", systemd.next(Duration.ofSeconds(5)).message());
            assertTrue(systemd.during(Duration.ofMillis(1500)).stream().noneMatch(r -> r.message().contains("READY")));
            // when
            engine.set(status(true, 1234));
            // then
            Received ready = systemd.next(Duration.ofSeconds(5));
            assertNotNull(ready);
            assertEquals("READY=1\nSTATUS=syncing; 1234 neighbors", ready.message());
            // and then only health changes
            engine.set(status(true, 1235, "netlink overflow"));
            assertEquals("STATUS=degraded: netlink overflow", systemd.next(Duration.ofSeconds(5)).message());
            assertEquals(List.of(), systemd.during(Duration.ofMillis(1200)));
        }
    }

    @Test
    void feedsTheWatchdogAtHalfWatchdogUsecWhileLiveAndNotWhileNotLive() throws Exception {
        try (UnixDatagramReceiver systemd = systemd()) {
            // given WATCHDOG_USEC of 1 s: a ping every 500 ms
            notifier.engine = engine;
            engine.set(status(true, 1));
            assertTrue(notifier.start(Map.of("NOTIFY_SOCKET", systemd.address(), "WATCHDOG_USEC", "1000000",
                    "WATCHDOG_PID", Long.toString(PID)), PID));
            // when live
            List<Long> pings = systemd.during(Duration.ofMillis(3000)).stream()
                    .filter(r -> r.message().equals("WATCHDOG=1")).map(Received::atNanos).toList();
            // then about 6 pings, 500 ms apart
            assertTrue(pings.size() >= 5 && pings.size() <= 7, pings.size() + " pings");
            for (int i = 1; i < pings.size(); i++) {
                long gap = TimeUnit.NANOSECONDS.toMillis(pings.get(i) - pings.get(i - 1));
                assertTrue(gap >= 300 && gap <= 800, "gap " + gap + " ms");
            }
            // when a warm restart failed
            engine.set(status(false, 0, "warm restart failed: restore flag not set in time"));
            systemd.next("warm restart failed", Duration.ofSeconds(2));
            // then no ping
            assertTrue(systemd.during(Duration.ofMillis(1500)).stream().noneMatch(r -> r.message().equals("WATCHDOG=1")));
            // when the engine hangs in status()
            engine.set(status(true, 1));
            assertNotNull(systemd.next("WATCHDOG=1", Duration.ofSeconds(2)));
            engine.hang();
            systemd.next("not answering", Duration.ofSeconds(4));
            // then no ping
            assertTrue(systemd.during(Duration.ofMillis(2500)).stream().noneMatch(r -> r.message().equals("WATCHDOG=1")));
            // when it answers again, or is gone
            engine.answer();
            assertNotNull(systemd.next("WATCHDOG=1", Duration.ofSeconds(3)));
            notifier.engine = null;
            systemd.next("waiting for the sync engine", Duration.ofSeconds(2));
            assertTrue(systemd.during(Duration.ofMillis(1500)).stream().noneMatch(r -> r.message().equals("WATCHDOG=1")));
        } finally {
            engine.answer();
        }
    }

    @Test
    void feedsNoWatchdogWhenWatchdogPidIsAnotherProcess() throws Exception {
        try (UnixDatagramReceiver systemd = systemd()) {
            // given
            notifier.engine = engine;
            engine.set(status(true, 1));
            // when
            assertTrue(notifier.start(Map.of("NOTIFY_SOCKET", systemd.address(), "WATCHDOG_USEC", "1000000",
                    "WATCHDOG_PID", Long.toString(PID + 1)), PID));
            // then
            assertTrue(systemd.during(Duration.ofMillis(1500)).stream().noneMatch(r -> r.message().equals("WATCHDOG=1")));
        }
    }

    @Test
    void sendsStoppingOnDeactivationAndNothingAfter() throws Exception {
        try (UnixDatagramReceiver systemd = systemd()) {
            // given
            notifier.engine = engine;
            engine.set(status(true, 3));
            notifier.start(Map.of("NOTIFY_SOCKET", systemd.address(), "WATCHDOG_USEC", "1000000"), PID);
            assertNotNull(systemd.next("READY=1", Duration.ofSeconds(5)));
            // when
            notifier.deactivate();
            // then
            assertNotNull(systemd.next("STOPPING=1", Duration.ofSeconds(2)));
            assertEquals(List.of(), systemd.during(Duration.ofMillis(1200)));
            assertFalse(notifier.running());
        }
    }

    @Test
    void notifiesAnAbstractSocketGivenWithAnAt() throws Exception {
        try (UnixDatagramReceiver systemd = new UnixDatagramReceiver("@neighsyncd-test-" + UUID.randomUUID())) {
            // given
            notifier.engine = engine;
            engine.set(status(true, 7));
            // when
            notifier.start(Map.of("NOTIFY_SOCKET", systemd.address()), PID);
            // then
            assertEquals("READY=1\nSTATUS=syncing; 7 neighbors", systemd.next(Duration.ofSeconds(5)).message());
        }
    }

    @Test
    void sendsNothingWithoutNotifySocket() throws Exception {
        try (UnixDatagramReceiver systemd = systemd()) {
            // given
            notifier.engine = engine;
            engine.set(status(true, 7));
            // when
            boolean started = notifier.start(Map.of("WATCHDOG_USEC", "1000000", "NOTIFY_SOCKET_X", systemd.address()),
                    PID);
            notifier.deactivate();
            // then
            assertFalse(started);
            assertFalse(notifier.running());
            assertNull(systemd.next(Duration.ofMillis(1500)));
        }
    }
}
