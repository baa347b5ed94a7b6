package net.neighsyncd.systemd.internal;

import static net.neighsyncd.systemd.internal.FakeEngine.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The protocol's decisions, tick by tick, with a fake clock and a recording sender. */
class NotifyProtocolTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final List<String> sent = new ArrayList<>();
    private long now;
    private final NotifyProtocol protocol = new NotifyProtocol(sent::add, () -> now, 15_000 * MS, 500 * MS);

    private void tickAt(long millis, EngineObservation engine) {
        now = millis * MS;
        protocol.tick(engine);
    }

    @Test
    void sendsReadyOnlyOnceTheInitialSyncIsDone() {
        // given
        NotifyProtocol noWatchdog = new NotifyProtocol(sent::add, () -> now, 0, 500 * MS);
        noWatchdog.tick(EngineObservation.missing("waiting for the sync engine"));
        noWatchdog.tick(EngineObservation.of(status(false, 0)));
        assertEquals(List.of("STATUS=waiting for the sync engine", "STATUS=initial sync in progress"), sent);
        // when
        noWatchdog.tick(EngineObservation.of(status(true, 1234)));
        noWatchdog.tick(EngineObservation.of(status(true, 1300)));
        // then
        assertEquals("READY=1\nSTATUS=syncing; 1234 neighbors", sent.get(2));
        assertEquals(3, sent.size());
    }

    @Test
    void sendsReadyForAStandbyThatWillNotSyncUntilItLeads() {
        // given: one of two instances, standing by
        NotifyProtocol noWatchdog = new NotifyProtocol(sent::add, () -> now, 0, 500 * MS);
        net.neighsyncd.api.ha.LeadershipStatus standby = new net.neighsyncd.api.ha.LeadershipStatus(
                net.neighsyncd.api.ha.Role.STANDBY, "b", java.util.Optional.of("a"), java.util.OptionalLong.empty(),
                java.util.OptionalLong.empty(), java.util.OptionalLong.of(0), 0, 0);
        // when
        noWatchdog.tick(EngineObservation.of(net.neighsyncd.testsupport.SyncStatusBuilder.inSync()
                .phase(net.neighsyncd.api.engine.Phase.STARTING).leadership(standby).build()));
        // then
        assertEquals(List.of("READY=1\nSTATUS=standby: another instance writes APPL_DB (a)"), sent);
    }

    @Test
    void feedsTheWatchdogEveryIntervalWhileLive() {
        // given a live engine ticked every 500 ms for a minute
        for (long t = 0; t <= 60_000; t += 500) {
            tickAt(t + (t % 1000 == 0 ? 3 : -3), EngineObservation.of(status(true, 1)));
        }
        // then a ping at 0, 15 s, 30 s, 45 s, 60 s (jitter of a few ms never skips one)
        assertEquals(5, sent.stream().filter("WATCHDOG=1"::equals).count());
    }

    @Test
    void feedsNoWatchdogWhileTheEngineIsMissingSilentOrFailedAWarmRestart() {
        // given
        tickAt(0, EngineObservation.of(status(true, 1)));
        sent.clear();
        // when
        tickAt(20_000, EngineObservation.missing("waiting for the sync engine"));
        tickAt(40_000, EngineObservation.missing("degraded: sync engine not answering"));
        tickAt(60_000, EngineObservation.of(status(false, 0, "warm restart failed: reconcile timer")));
        // then
        assertTrue(sent.stream().noneMatch("WATCHDOG=1"::equals), sent.toString());
        // and when it is live again, the next tick feeds it at once
        tickAt(60_500, EngineObservation.of(status(true, 1)));
        assertEquals("WATCHDOG=1", sent.get(sent.size() - 1));
    }

    @Test
    void sendsStatusOnlyWhenTheHealthChanges() {
        // given
        NotifyProtocol noWatchdog = new NotifyProtocol(sent::add, () -> now, 0, 500 * MS);
        noWatchdog.tick(EngineObservation.of(status(true, 10)));
        // when
        noWatchdog.tick(EngineObservation.of(status(true, 11)));
        noWatchdog.tick(EngineObservation.of(status(true, 12, "netlink overflow", "APPL_DB writes failing")));
        noWatchdog.tick(EngineObservation.of(status(true, 13, "APPL_DB writes failing", "netlink overflow")));
        noWatchdog.tick(EngineObservation.of(status(true, 14)));
        // then
        assertEquals(List.of("READY=1\nSTATUS=syncing; 10 neighbors",
                "STATUS=not ready: net.neighsyncd.core: APPL_DB writes failing; net.neighsyncd.core: netlink overflow", "STATUS=syncing; 14 neighbors"), sent);
    }

    @Test
    void sendsStoppingOnceAndNothingAfterIt() {
        // given
        tickAt(0, EngineObservation.of(status(true, 1)));
        sent.clear();
        // when
        protocol.stopping();
        protocol.stopping();
        tickAt(30_000, EngineObservation.of(status(true, 1, "netlink overflow")));
        // then
        assertEquals(List.of("STOPPING=1\nSTATUS=stopping"), sent);
    }

    @Test
    void keepsGoingWhenSystemdCannotBeReached() {
        // given a sender that fails, then works
        List<String> delivered = new ArrayList<>();
        boolean[] failing = { true };
        NotifyProtocol p = new NotifyProtocol(m -> {
            if (failing[0]) {
                throw new IOException("errno 111");
            }
            delivered.add(m);
        }, () -> now, 0, 500 * MS);
        p.tick(EngineObservation.of(status(true, 1)));
        // when
        failing[0] = false;
        p.tick(EngineObservation.of(status(true, 1, "netlink overflow")));
        // then
        assertEquals(List.of("STATUS=degraded: net.neighsyncd.core: netlink overflow"), delivered);
        assertTrue(p.ready());
    }
}
