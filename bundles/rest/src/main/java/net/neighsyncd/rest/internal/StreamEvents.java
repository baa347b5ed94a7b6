package net.neighsyncd.rest.internal;

import java.util.List;
import java.util.Locale;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.watch.AppliedChange;
import net.neighsyncd.api.watch.WatchPosition;

/** What the event stream's events carry as data (openapi.json: SnapshotEvent, ChangeEvent, ResetEvent). */
final class StreamEvents {
    static final String SNAPSHOT = "snapshot";
    static final String CHANGE = "change";
    static final String RESET = "reset";

    private StreamEvents() {
    }

    /**
     * A part of a snapshot; the stream's snapshot is every part up to the one marked last, whose
     * event id is the position to resume from.
     */
    record Snapshot(String history, long revision, List<NeighborDocument> neighbors, boolean last) {
    }

    /** One acknowledged change: {@code set} with the neighbor, or {@code delete} with its key's parts. */
    record Change(long revision, String op, NeighborDocument neighbor) {
        static Change of(AppliedChange c) {
            NeighborChange ch = c.change();
            boolean set = ch.op() == NeighborChange.Op.SET;
            return new Change(c.revision(), set ? "set" : "delete",
                    NeighborDocument.of(ch.key(), set ? ch.record().mac() : null, c.vrf(), c.state()));
        }
    }

    /**
     * The stream starts again: a snapshot follows (or, for {@code stopped}, the stream ends).
     *
     * @param reason  {@code behind} (further behind than the engine's history), {@code lag} (further
     *                than the stream's lag limit), {@code other_history} (the engine started again),
     *                {@code unknown_revision}, {@code stopped}
     */
    record Reset(String reason, String history, long revision) {
        static Reset of(String reason, WatchPosition current) {
            return new Reset(reason.toLowerCase(Locale.ROOT), current.history(), current.revision());
        }
    }

    /** The event id of a position: {@code history:revision}, what Last-Event-ID hands back. */
    static String id(WatchPosition p) {
        return p.history() + ":" + p.revision();
    }

    /** The position a Last-Event-ID names; null when it names none of ours. */
    static WatchPosition position(String lastEventId) {
        if (lastEventId == null) {
            return null;
        }
        int colon = lastEventId.lastIndexOf(':');
        if (colon <= 0 || colon > 64) {
            return null;
        }
        try {
            long revision = Long.parseLong(lastEventId.substring(colon + 1));
            return revision < 0 ? null : new WatchPosition(lastEventId.substring(0, colon), revision);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
