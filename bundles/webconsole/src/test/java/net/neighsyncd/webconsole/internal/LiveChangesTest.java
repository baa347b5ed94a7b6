package net.neighsyncd.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.watch.AppliedChange;
import net.neighsyncd.api.watch.ChangeFeed;
import net.neighsyncd.api.watch.FeedRead;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.ResetReason;
import net.neighsyncd.api.watch.WatchPosition;
import net.neighsyncd.api.watch.WatchSnapshot;
import org.junit.jupiter.api.Test;

class LiveChangesTest {
    private static final NeighborKey KEY = NeighborKey.parse("Ethernet4:10.0.0.2");

    /** A watch whose every feed answers {@code read} (or, with {@code read} null, waits until closed). */
    private static class ScriptedWatch implements NeighborWatch {
        final FeedRead read;
        final CountDownLatch waiting = new CountDownLatch(LiveChanges.MAX_WAITING);
        WatchPosition followedFrom;

        ScriptedWatch(FeedRead read) {
            this.read = read;
        }

        @Override
        public WatchPosition position() {
            return new WatchPosition("h1", 9);
        }

        @Override
        public Optional<WatchSnapshot> snapshot(NeighborSelector selector, NeighborKey after, int limit, long timeout,
                TimeUnit unit) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public ChangeFeed follow(WatchPosition from) {
            followedFrom = from;
            CountDownLatch closed = new CountDownLatch(1);
            return new ChangeFeed() {
                long at = from.revision();

                @Override
                public FeedRead next(int max, long timeout, TimeUnit unit) throws InterruptedException {
                    if (read == null) {
                        waiting.countDown();
                        closed.await();
                        // as the engine's feed answers once closed
                        return new FeedRead.Reset(ResetReason.STOPPED, new WatchPosition(from.history(), at));
                    }
                    if (read instanceof FeedRead.Changes c && !c.changes().isEmpty()) {
                        at = c.changes().get(c.changes().size() - 1).revision();
                    }
                    return read;
                }

                @Override
                public WatchPosition position() {
                    return new WatchPosition(from.history(), at);
                }

                @Override
                public void close() {
                    closed.countDown();
                }
            };
        }
    }

    private static JsonObject json(LiveChanges.Answer a) {
        return JsonParser.parseString(a.json()).getAsJsonObject();
    }

    @Test
    void answersTheSetsTheSearchSelectsAndTurnsTheOthersIntoDeletes() throws Exception {
        // given: a set that holds the text, then the same key moving to a MAC that does not
        FeedRead read = new FeedRead.Changes(List.of(
                new AppliedChange(10, NeighborChange.set(new NeighborRecord(KEY, MacAddress.parse("02:aa:00:00:00:01"))),
                        "Vrf1", null),
                new AppliedChange(11, NeighborChange.set(new NeighborRecord(KEY, MacAddress.parse("02:00:00:00:00:01"))),
                        "Vrf1", null)));
        ScriptedWatch watch = new ScriptedWatch(read);
        try (LiveChanges live = new LiveChanges()) {
            // when
            LiveChanges.Answer a = live.poll(watch, "02:AA", "", "h1", "9");
            // then
            assertEquals(200, a.status(), a.json());
            assertEquals(new WatchPosition("h1", 9), watch.followedFrom);
            JsonObject o = json(a);
            assertEquals(11, o.get("revision").getAsLong());
            JsonArray changes = o.getAsJsonArray("changes");
            assertEquals(2, changes.size(), a.json());
            JsonObject set = changes.get(0).getAsJsonObject();
            assertEquals("set", set.get("op").getAsString());
            assertEquals("Ethernet4:10.0.0.2", set.get("key").getAsString());
            assertEquals("02:aa:00:00:00:01", set.get("mac").getAsString());
            assertEquals("Vrf1", set.get("vrf").getAsString());
            assertEquals("IPv4", set.get("family").getAsString());
            assertEquals(RowOrder.sortKey(KEY), set.get("sort").getAsString());
            assertEquals("delete", changes.get(1).getAsJsonObject().get("op").getAsString());
        }
    }

    @Test
    void answersAResetWithItsReasonWhenTheHistoryCannotGoOn() throws Exception {
        ScriptedWatch watch = new ScriptedWatch(new FeedRead.Reset(ResetReason.OTHER_HISTORY, new WatchPosition("h2", 3)));
        try (LiveChanges live = new LiveChanges()) {
            JsonObject o = json(live.poll(watch, null, null, "h1", "9"));
            assertEquals("other_history", o.get("reset").getAsString());
            assertEquals("h2", o.get("history").getAsString());
        }
    }

    @Test
    void refusesAPollWithoutAHistoryOrRevisionOrForAMissingPipeline() throws Exception {
        ScriptedWatch watch = new ScriptedWatch(new FeedRead.Changes(List.of()));
        try (LiveChanges live = new LiveChanges()) {
            assertEquals(400, live.poll(watch, null, null, null, "1").status());
            assertEquals(400, live.poll(watch, null, null, "h1", "-1").status());
            assertEquals(400, live.poll(watch, null, null, "h1", "x").status());
            assertEquals(400, live.poll(watch, "x".repeat(65), null, "h1", "1").status());
            assertEquals(404, live.poll(null, null, null, "h1", "1").status());
            assertTrue(json(live.poll(null, null, null, "h1", "1")).has("error"));
        }
    }

    @Test
    void refusesOneMorePollThanMayWaitAndEndsTheWaitingOnesWhenClosed() throws Exception {
        // given: as many polls waiting as may
        ScriptedWatch watch = new ScriptedWatch(null);
        LiveChanges live = new LiveChanges();
        List<CompletableFuture<LiveChanges.Answer>> polls = new java.util.ArrayList<>();
        for (int i = 0; i < LiveChanges.MAX_WAITING; i++) {
            polls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return live.poll(watch, null, null, "h1", "9");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertTrue(watch.waiting.await(30, TimeUnit.SECONDS), "the polls never waited");
        // when / then: one more is refused
        assertEquals(503, live.poll(watch, null, null, "h1", "9").status());
        // when closed, then every waiting one answers at once: 503 (try again), not a reset (reload)
        live.close();
        for (CompletableFuture<LiveChanges.Answer> p : polls) {
            LiveChanges.Answer a = p.get(30, TimeUnit.SECONDS);
            assertEquals(503, a.status(), a.json());
            assertTrue(json(a).get("error").getAsString().contains("stopping"), a.json());
        }
        assertEquals(503, live.poll(watch, null, null, "h1", "9").status());
    }

    @Test
    void givesItsWaitingPlaceBackWhenTheWatchCannotBeFollowed() throws Exception {
        NeighborWatch broken = new ScriptedWatch(null) {
            @Override
            public ChangeFeed follow(WatchPosition from) {
                throw new IllegalStateException("engine stopping");
            }
        };
        try (LiveChanges live = new LiveChanges()) {
            for (int i = 0; i <= LiveChanges.MAX_WAITING; i++) {
                org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                        () -> live.poll(broken, null, null, "h1", "9"));
            }
            assertEquals(200, live.poll(new ScriptedWatch(new FeedRead.Changes(List.of())), null, null, "h1", "9")
                    .status());
        }
    }
}
