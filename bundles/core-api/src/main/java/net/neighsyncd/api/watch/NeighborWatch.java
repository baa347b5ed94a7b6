package net.neighsyncd.api.watch;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.NeighborKey;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The applied table of one pipeline as a history of revisions. A revision counts the changes the
 * APPL_DB sink acknowledged since the engine started (a new {@link #history()} at each start); a
 * {@linkplain #snapshot snapshot} read at revision {@code r}, followed by every change after
 * {@code r} from {@link #follow}, is the applied table at every later revision. The sync engine
 * registers one per pipeline, with the pipeline's namespace as its
 * {@code net.neighsyncd.api.pipeline.Pipelines#NAMESPACE_PROPERTY}.
 *
 * <p>The history is bounded: a follower that falls further behind than it holds (see
 * {@link FeedRead.Reset}) reads a snapshot again. Nothing is buffered per follower, so a slow one
 * never slows the engine.
 */
@ProviderType
public interface NeighborWatch {

    /** Where the history stands: its id and the revision of the last acknowledged change (0: none yet). */
    WatchPosition position();

    /**
     * The applied entries {@code selector} accepts, in {@link NeighborOrder}, after {@code after}
     * (null: from the first), at most {@code limit} of them, read at one revision. Empty when the
     * engine thread does not answer within the timeout (it is busy or stopped).
     *
     * @throws IllegalArgumentException when {@code limit} is negative
     */
    Optional<WatchSnapshot> snapshot(NeighborSelector selector, NeighborKey after, int limit, long timeout,
            TimeUnit unit);

    /**
     * The changes after {@code from}, read as they come. A position of another history (the engine
     * started again), ahead of this one, or older than the history holds, is answered by a
     * {@link FeedRead.Reset} at the first read.
     */
    ChangeFeed follow(WatchPosition from);
}
