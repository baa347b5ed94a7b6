package net.neighsyncd.webconsole.internal;

import java.util.List;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.NeighborEntry;
import net.neighsyncd.api.engine.NeighborQuery;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.EngineCounters;
import net.neighsyncd.api.engine.EngineHealth;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.engine.WriteTuning;
import net.neighsyncd.api.engine.WriterStats;

/**
 * The HTML of the neighsyncd page: the engine's status and a searchable table of the applied
 * neighbors. The Web Console draws its frame (header, navigation) around it.
 */
final class StatusPage {
    /** Rows of the neighbor table at most. */
    static final int LIMIT = 500;

    /** The query parameter of the search form. */
    static final String QUERY = "q";
    /** The request parameter naming the VRF whose entries are listed (empty: every VRF). */
    static final String VRF = "vrf";
    /** The request parameter naming the pipeline shown: its network namespace. */
    static final String NAMESPACE = "namespace";

    private StatusPage() {
    }

    /**
     * Renders the page for {@code engine} (null while no sync engine is registered) and the
     * search text {@code q} (null or blank: every entry, up to {@link #LIMIT}).
     */
    static String render(SyncEngine engine, String q) {
        return render(engine, q, null, null, java.util.List.of());
    }

    /**
     * As {@link #render(SyncEngine, String)}, for the pipeline of {@code namespace} among
     * {@code namespaces} (every pipeline's, in order): with more than one, a line of links to each
     * comes first, and the search stays on the one shown.
     */
    static String render(SyncEngine engine, String q, String vrf, String namespace, java.util.List<String> namespaces) {
        String query = q == null ? "" : q.strip();
        String vrfFilter = vrf == null || vrf.isBlank() ? null : vrf.strip();
        StringBuilder h = new StringBuilder(16 * 1024);
        h.append("<div id=\"neighsyncd\">\n");
        if (namespaces.size() > 1) {
            h.append("<p class=\"statline\" id=\"neighsyncd-pipelines\">Pipelines:");
            for (String ns : namespaces) {
                String shown = ns.isEmpty() ? "host" : ns;
                h.append(' ');
                if (ns.equals(namespace)) {
                    h.append("<strong>").append(esc(shown)).append("</strong>");
                } else {
                    h.append("<a href=\"?").append(NAMESPACE).append('=')
                            .append(esc(java.net.URLEncoder.encode(ns, java.nio.charset.StandardCharsets.UTF_8)))
                            .append("\">").append(esc(shown)).append("</a>");
                }
            }
            h.append("</p>\n");
        }
        if (engine == null) {
            h.append("<p class=\"statline ui-state-error\" id=\"neighsyncd-engine-absent\">")
                    .append("No sync engine is registered: the neighsyncd core bundle is not active, or its ")
                    .append("component is not satisfied (see Components). Nothing is being synced.</p>\n");
            h.append("</div>\n");
            return h.toString();
        }
        SyncStatus s = engine.status();
        status(h, s, engine.neighborsByVrf());
        neighbors(h, engine, query, vrfFilter, namespaces.size() > 1 ? namespace : null);
        h.append("</div>\n");
        return h.toString();
    }

    private static void status(StringBuilder h, SyncStatus s, java.util.Map<String, Integer> byVrf) {
        EngineHealth health = s.health();
        String state = switch (health.phase()) {
            case FAILED -> "failed: " + health.fatalReason();
            case STARTING -> "starting";
            case SYNCING -> "initial sync in progress";
            case IN_SYNC -> !health.ready() ? "not ready" : health.degraded() ? "in sync, degraded" : "in sync";
        };
        h.append("<p class=\"statline\" id=\"neighsyncd-state\">Sync engine: ").append(esc(state)).append("</p>\n");
        h.append("<table class=\"nicetable\" id=\"neighsyncd-status\">\n<thead><tr><th colspan=\"2\">Status</th></tr></thead>\n<tbody>\n");
        row(h, "Initial sync done", s.initialSyncDone() ? "yes" : "no");
        row(h, "Kernel entries", Integer.toString(s.kernelEntries()));
        row(h, "Desired entries (APPL_DB)", Integer.toString(s.desiredEntries()));
        row(h, "Entries per VRF (APPL_DB)", byVrf.isEmpty() ? "none"
                : new java.util.TreeMap<>(byVrf).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(java.util.stream.Collectors.joining(", ")));
        row(h, "Pending writes", Integer.toString(s.pendingWrites()));
        WriteTuning t = s.appDb().tuning();
        row(h, "APPL_DB batch limit", t.enabled()
                ? t.batchLimit() + " changes (AutoTuner), linger " + t.lingerMicros() + " µs; adjusted up "
                        + t.grown() + ", down " + t.shrunk() + " times"
                : t.batchLimit() + " changes (fixed, AutoTuner off)");
        row(h, "Problems", s.problems().isEmpty() ? "none"
                : s.problems().stream().map(p -> p.impact().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + ": " + p).collect(java.util.stream.Collectors.joining("; ")));
        h.append("</tbody>\n</table>\n");

        h.append("<table class=\"nicetable\" id=\"neighsyncd-counters\">\n<thead><tr><th>Counter</th><th>Value</th></tr></thead>\n<tbody>\n");
        EngineCounters c = s.counters();
        WriterStats w = s.appDb();
        row(h, "kernel messages", Long.toString(c.messages()));
        row(h, "kernel dumps completed", Long.toString(c.dumpsCompleted()));
        row(h, "netlink overflows", Long.toString(c.overflows()));
        row(h, "resyncs after an overflow", Long.toString(c.resyncsAfterOverflow()));
        row(h, "APPL_DB sets written", Long.toString(w.writtenSet()));
        row(h, "APPL_DB deletes written", Long.toString(w.writtenDelete()));
        row(h, "APPL_DB write errors", Long.toString(w.errors()));
        row(h, "APPL_DB read-backs", Long.toString(w.stateReads()));
        row(h, "configurations rejected", Long.toString(c.configRejected()));
        for (DropReason r : DropReason.values()) {
            row(h, "dropped: " + r.label(), Long.toString(c.dropped(r)));
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void neighbors(StringBuilder h, SyncEngine engine, String query, String vrf, String namespace) {
        List<NeighborEntry> found = engine.neighbors(new NeighborQuery(query, vrf, LIMIT));
        h.append("<form method=\"get\" id=\"neighsyncd-search\" class=\"ui-widget-header ui-corner-all\">");
        if (namespace != null) {
            h.append("<input type=\"hidden\" name=\"").append(NAMESPACE).append("\" value=\"").append(esc(namespace))
                    .append("\">");
        }
        h
                .append("<label for=\"neighsyncd-q\">Neighbors whose key or MAC contains </label>")
                .append("<input type=\"text\" id=\"neighsyncd-q\" name=\"").append(QUERY).append("\" value=\"")
                .append(esc(query)).append("\" size=\"40\" autofocus> ")
                .append("<label for=\"neighsyncd-vrf\">in VRF </label>")
                .append("<input type=\"text\" id=\"neighsyncd-vrf\" name=\"").append(VRF).append("\" value=\"")
                .append(esc(vrf == null ? "" : vrf)).append("\" size=\"16\" placeholder=\"any\"> ")
                .append("<button type=\"submit\">Search</button></form>\n");
        h.append("<p class=\"statline\" id=\"neighsyncd-count\">");
        if (found.size() >= LIMIT) {
            h.append("The first ").append(LIMIT).append(" matching entries (narrow the search to see others).");
        } else {
            h.append(found.size()).append(found.size() == 1 ? " entry" : " entries")
                    .append(query.isEmpty() && vrf == null ? " in APPL_DB NEIGH_TABLE." : " matching.");
        }
        h.append("</p>\n");
        h.append("<table class=\"nicetable\" id=\"neighsyncd-neighbors\">\n<thead><tr><th>Key</th><th>Interface</th>")
                .append("<th>IP</th><th>MAC (neigh)</th><th>Family</th><th>VRF</th></tr></thead>\n<tbody>\n");
        for (NeighborEntry e : found) {
            NeighborRecord r = e.record();
            h.append("<tr><td>").append(esc(r.key().toString())).append("</td><td>").append(esc(r.key().ifname()))
                    .append("</td><td>").append(esc(r.key().ip().toString())).append("</td><td>")
                    .append(esc(r.mac().toString())).append("</td><td>").append(esc(r.family().sonicName()))
                    .append("</td><td>").append(esc(e.vrf())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><td>").append(esc(name)).append("</td><td>").append(esc(value)).append("</td></tr>\n");
    }

    /** Escapes text for HTML element content and double-quoted attribute values. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        b.append(' ');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
