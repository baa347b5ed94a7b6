package net.neighsyncd.rest.internal;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.watch.AppliedChange;
import net.neighsyncd.api.watch.ChangeFeed;
import net.neighsyncd.api.watch.FeedRead;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.ResetReason;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.watch.WatchPosition;
import net.neighsyncd.api.watch.WatchSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's event stream, on a thread of its own: a snapshot (unless it resumes), then every
 * acknowledged change its selector accepts, in revision order. Nothing is buffered for the
 * client: the stream reads the engine's history at its own pace, and when it is further behind
 * than the lag limit (or the history) it sends {@code reset} and a new snapshot instead.
 */
final class EventStream implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    /** Neighbors per snapshot event. */
    static final int SNAPSHOT_PART = 500;
    /** Changes taken from the history per read. */
    private static final int READ = 512;
    /** A comment is sent after this long without a change, so that a gone client is noticed. */
    private static final long KEEPALIVE_SECONDS = 15;

    private final NeighborWatch watch;
    private final NeighborSelector selector;
    private final SseEventSink sink;
    private final Sse sse;
    private final RestApi api;
    private WatchPosition resumeFrom;
    private volatile boolean stopped;

    EventStream(NeighborWatch watch, NeighborSelector selector, WatchPosition resumeFrom, SseEventSink sink, Sse sse,
            RestApi api) {
        this.watch = watch;
        this.selector = selector;
        this.resumeFrom = resumeFrom;
        this.sink = sink;
        this.sse = sse;
        this.api = api;
    }

    /** Ends the stream: its thread sends nothing more and closes the connection. */
    void stop() {
        stopped = true;
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.debug("closing an event stream: {}", e.toString());
        }
    }

    @Override
    public void run() {
        try {
            WatchPosition at = resumeFrom;
            while (!stopped && !sink.isClosed()) {
                if (at == null) {
                    at = sendSnapshot();
                }
                at = follow(at);
                if (at == null && stopped) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CompletionException | IllegalStateException e) {
            LOG.debug("event stream ended: {}", e.toString());
        } finally {
            stop();
        }
    }

    private WatchPosition sendSnapshot() throws InterruptedException {
        WatchSnapshot snap = watch.snapshot(selector, null, Integer.MAX_VALUE, NeighborsResource.ENGINE_WAIT_SECONDS,
                TimeUnit.SECONDS).orElse(null);
        if (snap == null) {
            // the engine is busy or stopped: the client reconnects and tries again
            LOG.debug("event stream: the engine did not answer a snapshot; ending the stream");
            stopped = true;
            return null;
        }
        WatchPosition p = snap.position();
        List<WatchEntry> all = snap.entries();
        int parts = Math.max(1, (all.size() + SNAPSHOT_PART - 1) / SNAPSHOT_PART);
        for (int i = 0; i < parts; i++) {
            List<NeighborDocument> part = new ArrayList<>();
            for (WatchEntry e : all.subList(i * SNAPSHOT_PART, Math.min(all.size(), (i + 1) * SNAPSHOT_PART))) {
                part.add(NeighborDocument.of(e));
            }
            boolean last = i == parts - 1;
            OutboundSseEvent.Builder b = sse.newEventBuilder().name(StreamEvents.SNAPSHOT)
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(StreamEvents.Snapshot.class, new StreamEvents.Snapshot(p.history(), p.revision(), part, last));
            if (last) {
                b.id(StreamEvents.id(p));
            }
            send(b.build());
        }
        return p;
    }

    /** Sends changes after {@code at} until the stream must start again (null) or ends. */
    private WatchPosition follow(WatchPosition at) throws InterruptedException {
        if (at == null) {
            return null;
        }
        try (ChangeFeed feed = watch.follow(at)) {
            // a stream starts as far behind as its snapshot took; it is reset when it falls further
            // behind than the lag limit from there (else a large snapshot would reset it at once, again and again)
            long startLag = Math.max(0, watch.position().revision() - at.revision());
            long lastSent = System.nanoTime();
            while (!stopped && !sink.isClosed()) {
                FeedRead read = feed.next(READ, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                if (read instanceof FeedRead.Reset reset) {
                    reset(reset.reason().name(), reset.current());
                    if (reset.reason() == ResetReason.STOPPED) {
                        stopped = true;
                    }
                    return null;
                }
                for (AppliedChange c : ((FeedRead.Changes) read).changes()) {
                    java.util.Optional<net.neighsyncd.api.neighbor.NeighborChange> seen = selector.seenAs(c);
                    if (seen.isPresent()) {
                        AppliedChange shown = new AppliedChange(c.revision(), seen.get(), c.vrf(), c.state());
                        send(sse.newEventBuilder().name(StreamEvents.CHANGE).id(StreamEvents.id(
                                new WatchPosition(at.history(), c.revision())))
                                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                .data(StreamEvents.Change.class, StreamEvents.Change.of(shown)).build());
                        lastSent = System.nanoTime();
                    }
                }
                if (System.nanoTime() - lastSent >= TimeUnit.SECONDS.toNanos(KEEPALIVE_SECONDS)) {
                    // nothing sent for a while (no change, or none this stream wants): a gone client shows
                    send(sse.newEventBuilder().comment("keepalive").build());
                    lastSent = System.nanoTime();
                }
                WatchPosition head = watch.position();
                long lag = head.revision() - feed.position().revision();
                if (head.history().equals(at.history()) && lag > api.settings().eventLagLimit() + startLag) {
                    reset("lag", head);
                    return null;
                }
            }
        }
        return null;
    }

    private void reset(String reason, WatchPosition current) {
        api.eventResets.increment();
        LOG.debug("event stream reset: {} at {}", reason, StreamEvents.id(current));
        send(sse.newEventBuilder().name(StreamEvents.RESET).mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(StreamEvents.Reset.class, StreamEvents.Reset.of(reason, current)).build());
    }

    private void send(OutboundSseEvent event) {
        sink.send(event).toCompletableFuture().join();
    }
}
