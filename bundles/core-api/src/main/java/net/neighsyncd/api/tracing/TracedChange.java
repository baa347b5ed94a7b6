package net.neighsyncd.api.tracing;

import java.util.Objects;
import net.neighsyncd.api.neighbor.NeighborChange;

/**
 * One change of a {@link WrittenBatch}.
 *
 * @param change    what was written
 * @param readNanos {@link System#nanoTime()} when the netlink reader handed over the oldest kernel
 *                  message among those the change carries; 0 when no kernel message caused it (a
 *                  resync's deletion, a rules change, a new sink being filled)
 */
public record TracedChange(NeighborChange change, long readNanos) {

    public TracedChange {
        Objects.requireNonNull(change, "change");
    }
}
