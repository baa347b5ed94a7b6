package net.neighsyncd.api.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * Where one requested resync stands. A resync is the next full dump of the kernel that starts
 * after the request (requests made while one waits share it), diffed against what is applied.
 *
 * @param id             the resync's number, unique for the engine (across its restarts)
 * @param requester      who asked (for the log)
 * @param state          where it is
 * @param requested      when it was asked for
 * @param started        when its dump started; null before
 * @param completed      when its dump completed; null before
 * @param changesSet     sets the engine produced while the dump ran and at its end (changes the
 *                       kernel made meanwhile included); 0 for a table that was in sync
 * @param changesDeleted deletes, likewise
 * @since 1.4
 */
public record ResyncProgress(long id, String requester, State state, Instant requested, Instant started,
        Instant completed, long changesSet, long changesDeleted) {

    /** Where a resync is. */
    public enum State {
        /** Asked for; its dump has not started. */
        WAITING,
        /** Its dump runs. */
        RUNNING,
        /** Its dump completed and the differences were handed to the writer. */
        DONE,
        /** No neighbor source is bound (nothing to dump from), or the engine stopped before its dump completed. */
        FAILED
    }

    public ResyncProgress {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requested, "requested");
    }
}
