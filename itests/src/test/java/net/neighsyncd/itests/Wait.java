package net.neighsyncd.itests;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or the time is up. */
final class Wait {
    private Wait() {
    }

    static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Boolean.TRUE.equals(condition.call())) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
