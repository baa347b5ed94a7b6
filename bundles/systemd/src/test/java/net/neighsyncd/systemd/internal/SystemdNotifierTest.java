package net.neighsyncd.systemd.internal;

import static net.neighsyncd.systemd.internal.FakeEngine.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.unixdatagram.UnixDatagramReceiver;
import net.neighsyncd.unixdatagram.UnixDatagramSender;
import net.neighsyncd.unixdatagram.UnixDatagramReceiver.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The component against a real unix datagram socket standing in for systemd. The test calls the
 * ticks itself, on its own thread, with a fake clock; what was sent up to a point is read up to a
 * marker datagram the test sends to the same socket after it, since datagrams to one socket arrive
 * in the order they were sent. So "nothing was sent" needs no waiting.
 */
class SystemdNotifierTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Only a guard against a test that hangs: the marker is sent before it is awaited. */
    private static final Duration MARKER_GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final FakeEngine engine = new FakeEngine();
    private final FakeTicker ticker = new FakeTicker();
    private final SystemdNotifier notifier = new SystemdNotifier();
    private long now;
    private UnixDatagramReceiver systemd;
    private UnixDatagramSender marker;

    @BeforeEach
    void bind() throws Exception {
        systemd = new UnixDatagramReceiver(dir.resolve("notify").toString());
        marker = new UnixDatagramSender(systemd.address());
    }

    @AfterEach
    void stop() throws Exception {
        engine.answer();
        notifier.deactivate();
        marker.close();
        systemd.close();
    }

    private boolean start(Map<String, String> env) {
        notifier.bindEngine(engine);
        return notifier.start(env, PID, () -> now, ticker);
    }

    /** One tick at {@code millis} on the fake clock. */
    private void tickAt(long millis) {
        now = millis * MS;
        ticker.tick();
    }

    /** The messages sent since the last call, read up to a marker the test sends now. */
    private List<String> sent() throws Exception {
        String end = "X_TEST_MARKER=" + UUID.randomUUID();
        marker.send(end.getBytes(StandardCharsets.UTF_8));
        List<String> messages = new ArrayList<>();
        for (Received r; (r = systemd.next(MARKER_GUARD)) != null;) {
            if (r.message().equals(end)) {
                return messages;
            }
            messages.add(r.message());
        }
        throw new AssertionError("the marker did not arrive; got " + messages);
    }

    @Test
    void sendsReadyAfterTheInitialSyncAndNotBefore() throws Exception {
        // given an engine still syncing
        assertTrue(start(Map.of("NOTIFY_SOCKET", systemd.address())));
        tickAt(0);
        assertEquals(List.of("STATUS=initial sync in progress"), sent());
        // when it is still syncing a while later
        tickAt(500);
        tickAt(1000);
        tickAt(1500);
        // then nothing, no READY=1 in particular
        assertEquals(List.of(), sent());
        // when the initial sync is done
        engine.set(status(true, 1234));
        tickAt(2000);
        // then
        assertEquals(List.of("READY=1\nSTATUS=syncing; 1234 neighbors"), sent());
        // and then only health changes: a problem, not more neighbors
        engine.set(status(true, 1235, "netlink overflow"));
        tickAt(2500);
        assertEquals(List.of("STATUS=degraded: net.neighsyncd.core: netlink overflow"), sent());
        engine.set(status(true, 1236, "netlink overflow"));
        tickAt(3000);
        tickAt(3500);
        assertEquals(List.of(), sent());
    }

    @Test
    void feedsTheWatchdogAtHalfWatchdogUsecWhileLiveAndNotWhileNotLive() throws Exception {
        // given WATCHDOG_USEC of 1 s: a ping every 500 ms, and a tick every 500 ms
        engine.set(status(true, 1));
        assertTrue(start(Map.of("NOTIFY_SOCKET", systemd.address(), "WATCHDOG_USEC", "1000000",
                "WATCHDOG_PID", Long.toString(PID))));
        assertEquals(500 * MS, ticker.periodNanos());
        // when live: a tick at once, then every 500 ms, and one 100 ms after a ping
        tickAt(0);
        assertEquals(List.of("READY=1\nSTATUS=syncing; 1 neighbors", "WATCHDOG=1"), sent());
        tickAt(100);
        assertEquals(List.of(), sent());
        for (long t = 500; t <= 3000; t += 500) {
            tickAt(t);
            // then a ping at each tick 500 ms on
            assertEquals(List.of("WATCHDOG=1"), sent(), "at " + t + " ms");
        }
        // when a warm restart failed
        engine.set(status(false, 0, "warm restart failed: restore flag not set in time"));
        tickAt(3500);
        tickAt(4000);
        tickAt(4500);
        // then no ping
        assertEquals(List.of("STATUS=failed: warm restart failed: restore flag not set in time"),
                sent());
        // when the engine is live again, then hangs in status()
        engine.set(status(true, 1));
        tickAt(5000);
        assertEquals(List.of("STATUS=syncing; 1 neighbors", "WATCHDOG=1"), sent());
        engine.hang();
        tickAt(5500); // waits for the engine as long as the probe's timeout, 2 s
        tickAt(6000); // the hanging call still pending: no new one
        tickAt(6500);
        // then no ping
        assertEquals(List.of("STATUS=degraded: sync engine not answering"), sent());
        // when it answers again
        engine.answer();
        notifier.awaitLastEngineCall();
        tickAt(7000);
        // then a ping at once
        assertEquals(List.of("STATUS=syncing; 1 neighbors", "WATCHDOG=1"), sent());
        // when the engine is gone
        notifier.unbindEngine(engine);
        tickAt(7500);
        tickAt(8000);
        tickAt(8500);
        // then no ping
        assertEquals(List.of("STATUS=waiting for the sync engine"), sent());
    }

    @Test
    void feedsNoWatchdogWhenWatchdogPidIsAnotherProcess() throws Exception {
        // given
        engine.set(status(true, 1));
        // when
        assertTrue(start(Map.of("NOTIFY_SOCKET", systemd.address(), "WATCHDOG_USEC", "1000000",
                "WATCHDOG_PID", Long.toString(PID + 1))));
        for (long t = 0; t <= 3000; t += 500) {
            tickAt(t);
        }
        // then
        assertEquals(List.of("READY=1\nSTATUS=syncing; 1 neighbors"), sent());
    }

    @Test
    void sendsStoppingOnDeactivationAndNothingAfter() throws Exception {
        // given
        engine.set(status(true, 3));
        assertTrue(start(Map.of("NOTIFY_SOCKET", systemd.address(), "WATCHDOG_USEC", "1000000")));
        tickAt(0);
        assertEquals(List.of("READY=1\nSTATUS=syncing; 3 neighbors", "WATCHDOG=1"), sent());
        // when
        notifier.deactivate();
        tickAt(500);
        tickAt(1000);
        // then the ticks ended before STOPPING=1, and nothing came after it
        assertTrue(ticker.stopped());
        assertEquals(List.of("STOPPING=1\nSTATUS=stopping"), sent());
        assertFalse(notifier.running());
    }

    @Test
    void notifiesAnAbstractSocketGivenWithAnAtFromItsOwnSchedulerThread() throws Exception {
        try (UnixDatagramReceiver abstractSocket = new UnixDatagramReceiver("@neighsyncd-test-" + UUID.randomUUID())) {
            // given
            notifier.bindEngine(engine);
            engine.set(status(true, 7));
            // when started as the component starts, with a scheduler of its own
            assertTrue(notifier.start(Map.of("NOTIFY_SOCKET", abstractSocket.address()), PID));
            // then its first tick says READY=1 (awaited, with a guard against a hang)
            Received first = abstractSocket.next(MARKER_GUARD);
            assertNotNull(first, "nothing sent");
            assertEquals("READY=1\nSTATUS=syncing; 7 neighbors", first.message());
        }
    }

    @Test
    void sendsNothingWithoutNotifySocket() throws Exception {
        // given
        engine.set(status(true, 7));
        // when
        boolean started = start(Map.of("WATCHDOG_USEC", "1000000", "NOTIFY_SOCKET_X", systemd.address()));
        tickAt(0);
        notifier.deactivate();
        // then
        assertFalse(started);
        assertFalse(ticker.started());
        assertFalse(notifier.running());
        assertEquals(List.of(), sent());
    }
}
