package net.neighsyncd.metrics.internal;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import net.neighsyncd.api.engine.SyncStatus;

/**
 * One {@link SyncStatus} shared by all meters of a scrape: {@code SyncEngine.status()} is a
 * call into the engine thread, so it is made at most once per {@code maxAgeNanos}, not once
 * per meter.
 */
final class StatusMemo implements Supplier<SyncStatus> {
    private final Supplier<SyncStatus> source;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    private SyncStatus last;
    private long lastAt;

    StatusMemo(Supplier<SyncStatus> source, long maxAgeNanos, LongSupplier clock) {
        this.source = source;
        this.maxAgeNanos = maxAgeNanos;
        this.clock = clock;
    }

    @Override
    public synchronized SyncStatus get() {
        long now = clock.getAsLong();
        if (last == null || now - lastAt >= maxAgeNanos) {
            last = source.get();
            lastAt = now;
        }
        return last;
    }
}
