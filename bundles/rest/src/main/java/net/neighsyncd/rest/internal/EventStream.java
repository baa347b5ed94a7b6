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
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.ResetReason;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.watch.WatchPosition;
import net.neighsyncd.api.watch.WatchSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's event stream, on a thread of its own: a {@link WatchSession} whose events are
 * sent as server-sent events ({@code snapshot}, {@code change}, {@code reset}, and a comment
 * while nothing else is sent, so that a gone client is noticed). Sending blocks until the client
 * took the event: that is the session's pace.
 */
final class EventStream implements Runnable, WatchSession.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    /** Neighbors per snapshot event. */
    static final int SNAPSHOT_PART = 500;
    /** Changes taken from the history per read. */
    private static final int READ = 512;
    /** A comment is sent after this long without a change, so that a gone client is noticed. */
    private static final long KEEPALIVE_SECONDS = 15;

    private final SseEventSink sink;
    private final Sse sse;
    private final RestApi api;
    private final WatchSession session;

    EventStream(NeighborWatch watch, NeighborSelector selector, WatchPosition resumeFrom, SseEventSink sink, Sse sse,
            RestApi api) {
        this.sink = sink;
        this.sse = sse;
        this.api = api;
        this.session = new WatchSession(watch, selector, resumeFrom, new WatchSession.Settings(SNAPSHOT_PART, READ,
                TimeUnit.SECONDS.toNanos(KEEPALIVE_SECONDS),
                TimeUnit.SECONDS.toNanos(NeighborsResource.ENGINE_WAIT_SECONDS),
                () -> api.settings().eventLagLimit()), this);
    }

    /** Ends the stream: its thread sends nothing more and closes the connection. */
    void stop() {
        session.stop();
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.debug("closing an event stream: {}", e.toString());
        }
    }

    @Override
    public void run() {
        try {
            session.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CompletionException | IllegalStateException e) {
            LOG.debug("event stream ended: {}", e.toString());
        } finally {
            stop();
        }
    }

    @Override
    public boolean open() {
        return !sink.isClosed();
    }

    @Override
    public void snapshot(WatchPosition at, List<WatchEntry> part, boolean last) {
        List<NeighborDocument> docs = new ArrayList<>(part.size());
        for (WatchEntry e : part) {
            docs.add(NeighborDocument.of(e));
        }
        OutboundSseEvent.Builder b = sse.newEventBuilder().name(StreamEvents.SNAPSHOT)
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(StreamEvents.Snapshot.class, new StreamEvents.Snapshot(at.history(), at.revision(), docs, last));
        if (last) {
            b.id(StreamEvents.id(at));
        }
        send(b.build());
    }

    @Override
    public void change(WatchPosition at, AppliedChange c) {
        send(sse.newEventBuilder().name(StreamEvents.CHANGE).id(StreamEvents.id(at))
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(StreamEvents.Change.class, StreamEvents.Change.of(c)).build());
    }

    @Override
    public void reset(ResetReason reason, WatchPosition current) {
        api.eventResets.increment();
        LOG.debug("event stream reset: {} at {}", reason, StreamEvents.id(current));
        send(sse.newEventBuilder().name(StreamEvents.RESET).mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(StreamEvents.Reset.class, StreamEvents.Reset.of(reason.name(), current)).build());
    }

    @Override
    public void idle() {
        send(sse.newEventBuilder().comment("keepalive").build());
    }

    private void send(OutboundSseEvent event) {
        sink.send(event).toCompletableFuture().join();
    }
}
