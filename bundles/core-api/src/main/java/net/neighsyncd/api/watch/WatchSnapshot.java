package net.neighsyncd.api.watch;

import java.util.List;
import java.util.Objects;

/**
 * Applied entries read at one revision.
 *
 * @param position the history and the revision they were read at: follow from here
 * @param entries  the entries asked for, in {@link NeighborOrder}
 * @param more     whether entries the selector accepts follow the last one (a next page)
 */
public record WatchSnapshot(WatchPosition position, List<WatchEntry> entries, boolean more) {
    public WatchSnapshot {
        Objects.requireNonNull(position, "position");
        entries = List.copyOf(entries);
    }
}
