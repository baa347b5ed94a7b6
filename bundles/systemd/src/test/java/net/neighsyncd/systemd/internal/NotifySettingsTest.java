package net.neighsyncd.systemd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The environment systemd sets, and the socket address made of it. */
class NotifySettingsTest {

    @Test
    void withoutNotifySocketThereIsNothingToDo() {
        // given / when / then
        assertEquals(Optional.empty(), NotifySettings.fromEnvironment(Map.of("WATCHDOG_USEC", "30000000"), 42));
        assertEquals(Optional.empty(), NotifySettings.fromEnvironment(Map.of("NOTIFY_SOCKET", ""), 42));
    }

    @Test
    void pingsTheWatchdogAtHalfOfWatchdogUsec() {
        // given
        Map<String, String> env = Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "30000000",
                "WATCHDOG_PID", "42");
        // when
        NotifySettings settings = NotifySettings.fromEnvironment(env, 42).orElseThrow();
        // then
        assertEquals(new NotifySettings("/run/systemd/notify", 15_000_000_000L), settings);
    }

    @Test
    void hasNoWatchdogWhenWatchdogPidIsAnotherProcessOrNoneIsAsked() {
        // given
        Map<String, String> other = Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7");
        Map<String, String> none = Map.of("NOTIFY_SOCKET", "@x");
        // when / then
        assertEquals(0, NotifySettings.fromEnvironment(other, 42).orElseThrow().watchdogIntervalNanos());
        assertEquals(0, NotifySettings.fromEnvironment(none, 42).orElseThrow().watchdogIntervalNanos());
    }
}
