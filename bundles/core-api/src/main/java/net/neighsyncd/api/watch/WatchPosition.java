package net.neighsyncd.api.watch;

import java.util.Objects;

/**
 * A place in a watch's history: which history (a new one at each start of the engine) and the
 * revision of the last change seen in it.
 *
 * @param history  the history's id, as {@link NeighborWatch#position()} names it
 * @param revision the last revision seen, 0 before the first change
 */
public record WatchPosition(String history, long revision) {
    public WatchPosition {
        Objects.requireNonNull(history, "history");
        if (revision < 0) {
            throw new IllegalArgumentException("a revision is at least 0: " + revision);
        }
    }
}
