package net.neighsyncd.netlink.internal;

/** Lets one event through per interval and counts the ones it held back. Not thread-safe. */
final class RateLimit {
    private final long intervalNanos;
    private long next = Long.MIN_VALUE;
    private long suppressed;
    private long lastSuppressed;

    RateLimit(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** True when the event may be logged; then {@link #suppressed()} tells how many were held back before it. */
    boolean tryAcquire() {
        long now = System.nanoTime();
        if (next == Long.MIN_VALUE || now - next >= 0) {
            next = now + intervalNanos;
            lastSuppressed = suppressed;
            suppressed = 0;
            return true;
        }
        suppressed++;
        return false;
    }

    /** Events held back before the last one let through. */
    long suppressed() {
        return lastSuppressed;
    }
}
