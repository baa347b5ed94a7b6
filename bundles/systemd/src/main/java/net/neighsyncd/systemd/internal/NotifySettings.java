package net.neighsyncd.systemd.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What systemd put in the environment: where to notify, and how often to ping the watchdog.
 *
 * @param notifySocket          {@code NOTIFY_SOCKET}
 * @param watchdogIntervalNanos half of {@code WATCHDOG_USEC}; 0 without a watchdog (none asked, or
 *                              {@code WATCHDOG_PID} names another process)
 */
record NotifySettings(String notifySocket, long watchdogIntervalNanos) {

    /** Empty when {@code NOTIFY_SOCKET} is not set (not started by systemd as {@code Type=notify}). */
    static Optional<NotifySettings> fromEnvironment(Map<String, String> env, long pid) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new NotifySettings(socket, watchdogIntervalNanos(env, pid)));
    }

    private static long watchdogIntervalNanos(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isEmpty()) {
            return 0;
        }
        String watchdogPid = env.get("WATCHDOG_PID");
        if (watchdogPid != null && !watchdogPid.isEmpty()) {
            try {
                if (Long.parseLong(watchdogPid.trim()) != pid) {
                    return 0;
                }
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        try {
            long micros = Long.parseLong(usec.trim());
            return micros <= 0 ? 0 : TimeUnit.MICROSECONDS.toNanos(micros) / 2;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    boolean watchdog() {
        return watchdogIntervalNanos > 0;
    }
}
