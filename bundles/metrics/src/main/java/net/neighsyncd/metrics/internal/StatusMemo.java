package net.neighsyncd.metrics.internal;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import net.neighsyncd.api.engine.SyncStatus;

/**
 * One {@link SyncStatus} shared by all meters of a scrape: {@code SyncEngine.status()} is a
 * call into the engine thread, so it is made at most once per {@code maxAgeNanos}, not once
 * per meter. While a {@link #scrape()} is open the status does not change under it, however
 * long the scrape takes: every meter of one scrape reads the same status, so that two of them
 * (writes counted, their latency samples) never come from two different moments.
 */
final class StatusMemo implements Supplier<SyncStatus> {
    private final Supplier<SyncStatus> source;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    private SyncStatus last;
    private long lastAt;
    /** How many scrapes are open: while any is, {@link #get()} returns {@link #last} as it is. */
    private int scrapes;

    StatusMemo(Supplier<SyncStatus> source, long maxAgeNanos, LongSupplier clock) {
        this.source = source;
        this.maxAgeNanos = maxAgeNanos;
        this.clock = clock;
    }

    @Override
    public synchronized SyncStatus get() {
        if (last == null || (scrapes == 0 && clock.getAsLong() - lastAt >= maxAgeNanos)) {
            refresh();
        }
        return last;
    }

    /**
     * Opens a scrape: the status is read now unless it is younger than {@code maxAgeNanos} or
     * another scrape is open, and stays as it is until every open scrape is closed.
     */
    synchronized Scrape scrape() {
        if (last == null || (scrapes == 0 && clock.getAsLong() - lastAt >= maxAgeNanos)) {
            refresh();
        }
        scrapes++;
        return this::closeScrape;
    }

    private synchronized void closeScrape() {
        scrapes--;
    }

    private void refresh() {
        last = source.get();
        lastAt = clock.getAsLong();
    }

    /** An open scrape; closing it lets the status be read anew. */
    interface Scrape extends AutoCloseable {
        @Override
        void close();
    }
}
