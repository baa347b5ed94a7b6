package net.neighsyncd.netlink.internal;

/** Waiting for a worker thread that was asked to stop. */
final class ThreadJoin {
    private ThreadJoin() {
    }

    /**
     * Waits up to {@code millis} for {@code thread} to end, unless the caller is that thread;
     * true when it has ended (or is the caller), false when it is still running.
     */
    static boolean awaitEnd(Thread thread, long millis) {
        if (Thread.currentThread() == thread || !thread.isAlive()) {
            return true;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
