package net.neighsyncd.api.watch;

/** Why a {@link ChangeFeed} (or a {@link WatchSession}) cannot go on from its position. */
public enum ResetReason {
    /** The history no longer holds the next change: the follower fell too far behind. */
    BEHIND,
    /** The position is of another history: the engine started again since it was read. */
    OTHER_HISTORY,
    /** The position is ahead of the history: no such revision was numbered. */
    UNKNOWN_REVISION,
    /** The engine stopped: the history ends. */
    STOPPED,
    /**
     * The follower fell further behind than its own lag limit (a {@link WatchSession}'s), while the
     * history still held its next change: it reads a snapshot rather than catch up change by change.
     */
    LAG
}
