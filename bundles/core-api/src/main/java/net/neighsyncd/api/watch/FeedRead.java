package net.neighsyncd.api.watch;

import java.util.List;
import java.util.Objects;

/** What one read of a {@link ChangeFeed} answers: the next changes, or that the follower must start again. */
public sealed interface FeedRead permits FeedRead.Changes, FeedRead.Reset {

    /** The next changes in revision order, none when none came in time. */
    record Changes(List<AppliedChange> changes) implements FeedRead {
        public Changes {
            changes = List.copyOf(changes);
        }
    }

    /**
     * The feed cannot go on from its position: read a snapshot and follow from there.
     *
     * @param reason why
     * @param current where the history stands now
     */
    record Reset(ResetReason reason, WatchPosition current) implements FeedRead {
        public Reset {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(current, "current");
        }
    }
}
