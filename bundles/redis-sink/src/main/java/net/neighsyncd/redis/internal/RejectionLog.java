package net.neighsyncd.redis.internal;

import org.slf4j.Logger;

/**
 * Both components of this bundle read PID {@value RedisSettings#PID}; a rejected configuration
 * is logged by whichever sees it first, once, not once per component.
 */
final class RejectionLog {
    private static String lastRejection;

    private RejectionLog() {
    }

    /** Logs {@code message} at WARN unless it is the rejection logged last. */
    static synchronized void rejected(Logger log, String message) {
        if (!message.equals(lastRejection)) {
            lastRejection = message;
            log.warn("{}; keeping the last good configuration", message);
        }
    }

    /** The rejection of the configuration offered last, or null when it was accepted. */
    static synchronized String current() {
        return lastRejection;
    }

    /** A configuration was accepted: the next rejection is news again. */
    static synchronized void accepted() {
        lastRejection = null;
    }
}
