package net.neighsyncd.api.watch;

import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ProviderType;

/** A follower's read position in a watch's history. Not thread-safe: one reader at a time. */
@ProviderType
public interface ChangeFeed extends AutoCloseable {

    /**
     * The next changes after the feed's position, at most {@code max}, waiting up to the timeout
     * for the first one: an empty {@link FeedRead.Changes} when none came. A {@link FeedRead.Reset}
     * ends the feed: every later read answers the same reset.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    FeedRead next(int max, long timeout, TimeUnit unit) throws InterruptedException;

    /** The position after the last change read. */
    WatchPosition position();

    /** Ends the feed: a reader waiting in {@link #next} returns at once. */
    @Override
    void close();
}
