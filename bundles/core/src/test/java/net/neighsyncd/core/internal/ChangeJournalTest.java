package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.watch.AppliedChange;
import net.neighsyncd.api.watch.ChangeFeed;
import net.neighsyncd.api.watch.FeedRead;
import net.neighsyncd.api.watch.ResetReason;
import net.neighsyncd.api.watch.WatchPosition;
import org.junit.jupiter.api.Test;

class ChangeJournalTest {
    private final ChangeJournal journal = new ChangeJournal("h1", 4);

    private static NeighborChange set(int i) {
        return NeighborChange.set(new NeighborRecord(key(i), MacAddress.ofBits(i)));
    }

    private static NeighborKey key(int i) {
        return new NeighborKey("Ethernet" + i, IpAddress.parse(i % 2 == 0 ? "10.0.0." + i : "fc00::" + i));
    }

    private void append(NeighborChange... changes) {
        String[] vrfs = new String[changes.length];
        java.util.Arrays.fill(vrfs, "default");
        NudCategory[] states = new NudCategory[changes.length];
        java.util.Arrays.fill(states, NudCategory.REACHABLE);
        journal.append(List.of(changes), vrfs, states);
    }

    private static List<AppliedChange> changes(FeedRead read) {
        return assertInstanceOf(FeedRead.Changes.class, read).changes();
    }

    @Test
    void aFeedReadsEveryChangeAfterItsPositionInRevisionOrder() throws Exception {
        // given
        append(set(1), set(2));
        ChangeFeed feed = journal.follow(new WatchPosition("h1", 1));
        append(NeighborChange.delete(key(1)));
        // when
        List<AppliedChange> read = changes(feed.next(10, 0, TimeUnit.SECONDS));
        // then
        assertEquals(List.of(2L, 3L), read.stream().map(AppliedChange::revision).toList());
        assertEquals(set(2), read.get(0).change());
        assertEquals(NeighborChange.delete(key(1)), read.get(1).change());
        assertEquals(NudCategory.REACHABLE, read.get(0).state());
        assertEquals(new WatchPosition("h1", 3), feed.position());
    }

    @Test
    void aFeedReadsAtMostWhatItAsksForAndTheRestNext() throws Exception {
        // given
        append(set(1), set(2), set(3));
        ChangeFeed feed = journal.follow(new WatchPosition("h1", 0));
        // when
        List<Long> first = changes(feed.next(2, 0, TimeUnit.SECONDS)).stream().map(AppliedChange::revision).toList();
        List<Long> second = changes(feed.next(2, 0, TimeUnit.SECONDS)).stream().map(AppliedChange::revision).toList();
        // then
        assertEquals(List.of(1L, 2L), first);
        assertEquals(List.of(3L), second);
    }

    @Test
    void aWaitingFeedWakesWhenAChangeIsNumbered() throws Exception {
        // given
        ChangeFeed feed = journal.follow(journal.position());
        CompletableFuture<FeedRead> read = readAsync(feed);
        // when
        append(set(1));
        // then
        assertEquals(List.of(set(1)), changes(read.get(60, TimeUnit.SECONDS)).stream()
                .map(AppliedChange::change).toList());
    }

    @Test
    void aFeedFurtherBehindThanTheHistoryHoldsIsReset() throws Exception {
        // given a history of 4 and a feed at 0
        ChangeFeed feed = journal.follow(journal.position());
        // when 5 changes are numbered
        append(set(1), set(2), set(3), set(4), set(5));
        // then
        FeedRead.Reset reset = assertInstanceOf(FeedRead.Reset.class, feed.next(10, 0, TimeUnit.SECONDS));
        assertEquals(ResetReason.BEHIND, reset.reason());
        assertEquals(new WatchPosition("h1", 5), reset.current());
    }

    @Test
    void aFeedExactlyAsFarBehindAsTheHistoryHoldsReadsItAll() throws Exception {
        // given
        ChangeFeed feed = journal.follow(journal.position());
        // when
        append(set(1), set(2), set(3), set(4));
        // then
        assertEquals(List.of(set(1), set(2), set(3), set(4)),
                changes(feed.next(10, 0, TimeUnit.SECONDS)).stream().map(AppliedChange::change).toList());
    }

    @Test
    void aPositionOfAnotherHistoryIsReset() throws Exception {
        assertEquals(ResetReason.OTHER_HISTORY, resetOf(journal.follow(new WatchPosition("h0", 0))));
    }

    @Test
    void aPositionAheadOfTheHistoryIsReset() throws Exception {
        append(set(1));
        assertEquals(ResetReason.UNKNOWN_REVISION, resetOf(journal.follow(new WatchPosition("h1", 2))));
    }

    @Test
    void aStoppedHistoryResetsItsFeedsAndAResetStays() throws Exception {
        // given
        ChangeFeed feed = journal.follow(journal.position());
        // when
        journal.stop();
        // then
        assertEquals(ResetReason.STOPPED, resetOf(feed));
        append(set(1));
        assertEquals(ResetReason.STOPPED, resetOf(feed));
    }

    @Test
    void closingAFeedEndsAWaitingRead() throws Exception {
        // given
        ChangeFeed feed = journal.follow(journal.position());
        CompletableFuture<FeedRead> read = readAsync(feed);
        // when
        while (!journal.hasWaiters()) {
            Thread.onSpinWait();
        }
        feed.close();
        // then
        assertEquals(ResetReason.STOPPED, assertInstanceOf(FeedRead.Reset.class, read.get(60, TimeUnit.SECONDS)).reason());
    }

    @Test
    void theRingKeepsEveryFieldOfAChange() throws Exception {
        // given: more changes than the ring holds, so that slots are reused
        ChangeFeed feed = journal.follow(journal.position());
        NeighborRecord routed = new NeighborRecord(key(7), MacAddress.parse("02:00:00:00:00:07"));
        for (int i = 0; i < 3; i++) {
            NeighborChange[] batch = {set(2 * i), NeighborChange.delete(key(2 * i + 1)),
                NeighborChange.setReplacingHostRoute(routed, "Vrf" + i)};
            append(batch);
            // then
            assertEquals(List.of(batch), changes(feed.next(10, 0, TimeUnit.SECONDS)).stream()
                    .map(AppliedChange::change).toList());
        }
        assertEquals(9, journal.position().revision());
    }

    /** A read of up to 10 changes, waiting up to a minute, on another thread. */
    private static CompletableFuture<FeedRead> readAsync(ChangeFeed feed) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return feed.next(10, 60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static ResetReason resetOf(ChangeFeed feed) throws InterruptedException {
        return assertInstanceOf(FeedRead.Reset.class, feed.next(1, 0, TimeUnit.SECONDS)).reason();
    }
}
