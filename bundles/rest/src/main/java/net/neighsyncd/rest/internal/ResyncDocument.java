package net.neighsyncd.rest.internal;

import java.time.Instant;
import java.util.Locale;
import net.neighsyncd.api.engine.ResyncProgress;

/** A resync as {@code POST /api/v1/resync} and {@code GET /api/v1/resyncs/{id}} write it (openapi.json: Resync). */
record ResyncDocument(long id, String namespace, String requester, String state, String requested, String started,
        String completed, long changesSet, long changesDeleted) {

    static ResyncDocument of(String namespace, ResyncProgress p) {
        return new ResyncDocument(p.id(), namespace, p.requester(), p.state().name().toLowerCase(Locale.ROOT),
                text(p.requested()), text(p.started()), text(p.completed()), p.changesSet(), p.changesDeleted());
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
