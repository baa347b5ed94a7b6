package net.neighsyncd.systemd.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ticks on one small daemon thread of its own, at a fixed rate. */
final class SchedulerTicker implements Ticker {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerTicker.class);

    private ScheduledExecutorService scheduler;

    @Override
    public synchronized void start(Runnable tick, long periodNanos) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "neighsyncd-systemd");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(tick, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("systemd notifier thread did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler = null;
    }
}
