package net.neighsyncd.webconsole.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.watch.AppliedChange;
import net.neighsyncd.api.watch.ChangeFeed;
import net.neighsyncd.api.watch.FeedRead;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.WatchPosition;

/**
 * What the page's script polls ({@value #PATH} under the page, behind the console's login): the
 * changes of the selected entries after a revision, as JSON, waiting up to {@value #WAIT_SECONDS}
 * s for the first; or a reset when the history cannot go on from there. At most
 * {@value #MAX_WAITING} polls wait at a time (each holds a server thread); one more answers 503,
 * and so does every poll once the page's component stops.
 */
final class LiveChanges implements AutoCloseable {
    /** Under the page: with an extension, so the console draws no frame around it. */
    static final String PATH = "changes.json";
    static final int MAX_WAITING = 4;
    static final long WAIT_SECONDS = 20;
    /** Changes per answer at most: the script asks again at once for the rest. */
    static final int MAX_CHANGES = 1000;
    /** The script the page embeds. */
    static final String SCRIPT = script();

    /** An answer: its HTTP status and JSON body. */
    record Answer(int status, String json) {
    }

    private final Semaphore waiting = new Semaphore(MAX_WAITING);
    private final Set<ChangeFeed> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private static String script() {
        try (InputStream in = LiveChanges.class.getResourceAsStream("live-table.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The changes of the entries the search text {@code q} and VRF {@code vrf} select, after
     * revision {@code after} of the history {@code history}, from {@code watch} (null: the pipeline
     * has none).
     */
    Answer poll(NeighborWatch watch, String q, String vrf, String history, String after) throws InterruptedException {
        if (watch == null) {
            return error(404, "no such pipeline, or its engine offers no watch now");
        }
        NeighborSelector selector;
        long from;
        try {
            selector = new NeighborSelector(null, null, vrf == null || vrf.isBlank() ? null : vrf.strip(), null, null,
                    q);
            from = Long.parseLong(after == null ? "" : after);
            if (history == null || history.isBlank() || history.length() > 64 || from < 0) {
                throw new IllegalArgumentException("history and after=<revision> are needed");
            }
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        if (closed) {
            return stopping();
        }
        if (!waiting.tryAcquire()) {
            return error(503, "more than " + MAX_WAITING + " live tables are open; this one tries again later");
        }
        ChangeFeed feed = null;
        try {
            feed = watch.follow(new WatchPosition(history, from));
            open.add(feed);
            if (closed) {
                feed.close();
            }
            FeedRead read = feed.next(MAX_CHANGES, WAIT_SECONDS, TimeUnit.SECONDS);
            if (closed) {
                // the feed was ended by close(), not by the engine: the page is to try again, not reload
                return stopping();
            }
            JsonObject out = new JsonObject();
            if (read instanceof FeedRead.Reset reset) {
                out.addProperty("reset", reset.reason().name().toLowerCase(Locale.ROOT));
                out.addProperty("history", reset.current().history());
                out.addProperty("revision", reset.current().revision());
                return new Answer(200, out.toString());
            }
            JsonArray changes = new JsonArray();
            for (AppliedChange c : ((FeedRead.Changes) read).changes()) {
                Optional<NeighborChange> seen = selector.seenAs(c);
                seen.ifPresent(change -> changes.add(json(change, c.vrf())));
            }
            out.addProperty("history", feed.position().history());
            out.addProperty("revision", feed.position().revision());
            out.add("changes", changes);
            return new Answer(200, out.toString());
        } finally {
            if (feed != null) {
                open.remove(feed);
                feed.close();
            }
            waiting.release();
        }
    }

    private static Answer stopping() {
        return error(503, "the neighsyncd page is stopping; its table tries again later");
    }

    private static JsonObject json(NeighborChange change, String vrf) {
        JsonObject o = new JsonObject();
        o.addProperty("key", change.key().toString());
        if (change.op() == NeighborChange.Op.DELETE) {
            o.addProperty("op", "delete");
            return o;
        }
        NeighborRecord r = change.record();
        o.addProperty("op", "set");
        o.addProperty("ifname", r.key().ifname());
        o.addProperty("ip", r.key().ip().toString());
        o.addProperty("mac", r.mac().toString());
        o.addProperty("family", r.family().sonicName());
        o.addProperty("vrf", vrf);
        o.addProperty("sort", RowOrder.sortKey(r.key()));
        return o;
    }

    private static Answer error(int status, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return new Answer(status, o.toString());
    }

    /** Ends every waiting poll (it answers 503: the page tries again) and refuses new ones. */
    @Override
    public void close() {
        closed = true;
        open.forEach(ChangeFeed::close);
    }
}
