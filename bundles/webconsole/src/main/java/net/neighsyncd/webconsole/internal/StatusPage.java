package net.neighsyncd.webconsole.internal;

import java.util.List;
import net.neighsyncd.api.engine.NeighborExplanation;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.EngineCounters;
import net.neighsyncd.api.engine.EngineHealth;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.engine.WriteTuning;
import net.neighsyncd.api.engine.WriterStats;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.watch.WatchSnapshot;

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
    /** The request parameter naming a key to explain ({@code ifname:ip}). */
    static final String EXPLAIN = "explain";

    private StatusPage() {
    }

    /**
     * Renders the page for {@code engine} and its {@code watch} (either null while not registered),
     * the search text {@code q} and VRF {@code vrf} (null or blank: any), for the pipeline of
     * {@code namespace} among {@code namespaces} (every pipeline's, in order: with more than one, a
     * line of links to each comes first, and the search stays on the one shown), with the
     * explanation of the key {@code explain} ({@code ifname:ip}; null: none) first. {@code pageUrl}
     * is the page's path, under which the table's script polls {@link LiveChanges#PATH}.
     */
    static String render(SyncEngine engine, NeighborWatch watch, String q, String vrf, String namespace,
            java.util.List<String> namespaces, String explain, String pageUrl) {
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
        if (explain != null && !explain.isBlank()) {
            explanation(h, engine, explain.strip());
        }
        SyncStatus s = engine.status();
        status(h, s, engine.neighborsByVrf());
        neighbors(h, watch, query, vrfFilter, namespace, namespaces.size() > 1, pageUrl);
        h.append("</div>\n");
        return h.toString();
    }

    private static void status(StringBuilder h, SyncStatus s, java.util.Map<String, Integer> byVrf) {
        EngineHealth health = s.health();
        String state = switch (health.phase()) {
            case FAILED -> "failed: " + health.fatalReason();
            case STARTING -> s.standingBy() ? "standby (another instance writes APPL_DB)" : "starting";
            case SYNCING -> "initial sync in progress";
            case IN_SYNC -> !health.ready() ? "not ready" : health.degraded() ? "in sync, degraded" : "in sync";
        };
        h.append("<p class=\"statline\" id=\"neighsyncd-state\">Sync engine: ").append(esc(state)).append("</p>\n");
        h.append("<table class=\"nicetable\" id=\"neighsyncd-status\">\n<thead><tr><th colspan=\"2\">Status</th></tr></thead>\n<tbody>\n");
        row(h, "Initial sync done", s.initialSyncDone() ? "yes" : "no");
        s.leadership().ifPresent(l -> row(h, "High availability", leadership(l)));
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

        EngineCounters c = s.counters();
        WriterStats w = s.appDb();
        h.append("<table class=\"nicetable\" id=\"neighsyncd-counters\">\n<thead><tr><th>Counter</th><th>Since the "
                + "engine started</th></tr></thead>\n<tbody>\n");
        group(h, "From the kernel");
        row(h, "messages read", Long.toString(c.messages()));
        row(h, "full dumps completed", Long.toString(c.dumpsCompleted()));
        row(h, "netlink overflows (messages lost, repaired by a dump)", Long.toString(c.overflows()));
        row(h, "resyncs after an overflow", Long.toString(c.resyncsAfterOverflow()));
        group(h, "Written to APPL_DB");
        row(h, "sets", Long.toString(w.writtenSet()));
        row(h, "deletes", Long.toString(w.writtenDelete()));
        row(h, "write errors (retried)", Long.toString(w.errors()));
        row(h, "read-backs of the store", Long.toString(w.stateReads()));
        long dropped = 0;
        for (DropReason r : DropReason.values()) {
            dropped += c.dropped(r);
        }
        group(h, "Dropped by SONiC's rules and the filters (" + dropped + ")");
        for (DropReason r : DropReason.values()) {
            row(h, r.label().replace('_', ' '), Long.toString(c.dropped(r)));
        }
        group(h, "Configuration");
        row(h, "configurations rejected (the last good one kept)", Long.toString(c.configRejected()));
        h.append("</tbody>\n</table>\n");
    }

    /** One of two instances (docs/ha.md): the role, the token, the lease's age, the stream lag. */
    static String leadership(net.neighsyncd.api.ha.LeadershipStatus l) {
        StringBuilder b = new StringBuilder();
        if (l.role() == net.neighsyncd.api.ha.Role.LEADER) {
            b.append("leader (fencing token ").append(l.token().orElse(0)).append(", lease renewed ")
                    .append(l.leaseAgeMillis().orElse(0)).append(" ms ago)");
        } else {
            b.append("standby; leader ").append(l.leader().orElse("none"));
        }
        b.append("; this instance ").append(l.instanceId()).append("; stream lag ")
                .append(l.streamLag().isPresent() ? l.streamLag().getAsLong() + " entries" : "unknown")
                .append("; takeovers ").append(l.takeovers()).append(", step-downs ").append(l.stepDowns());
        return b.toString();
    }

    private static void group(StringBuilder h, String title) {
        h.append("<tr class=\"ui-widget-header\"><th colspan=\"2\">").append(esc(title)).append("</th></tr>\n");
    }

    /**
     * The search form and the table of the entries it selects, read from the watch at one revision;
     * the table carries that revision, and the page's script follows the changes after it
     * ({@link LiveChanges}).
     */
    private static void neighbors(StringBuilder h, NeighborWatch watch, String query, String vrf, String namespace,
            boolean several, String pageUrl) {
        String ns = namespace == null ? "" : namespace;
        h.append("<form method=\"get\" id=\"neighsyncd-search\" class=\"ui-widget-header ui-corner-all\">");
        if (several) {
            h.append("<input type=\"hidden\" name=\"").append(NAMESPACE).append("\" value=\"").append(esc(ns))
                    .append("\">");
        }
        h
                .append("<label for=\"neighsyncd-q\">Neighbors whose key or MAC contains </label>")
                .append("<input type=\"text\" id=\"neighsyncd-q\" name=\"").append(QUERY).append("\" value=\"")
                .append(esc(query)).append("\" size=\"40\" maxlength=\"").append(NeighborSelector.MAX_TEXT)
                .append("\" autofocus> ")
                .append("<label for=\"neighsyncd-vrf\">in VRF </label>")
                .append("<input type=\"text\" id=\"neighsyncd-vrf\" name=\"").append(VRF).append("\" value=\"")
                .append(esc(vrf == null ? "" : vrf)).append("\" size=\"16\" placeholder=\"any\"> ")
                .append("<button type=\"submit\">Search</button></form>\n");
        if (watch == null) {
            h.append("<p class=\"statline\" id=\"neighsyncd-count\">The engine offers no watch of its table now.</p>\n");
            return;
        }
        NeighborSelector selector;
        try {
            selector = new NeighborSelector(null, null, vrf, null, null, query);
        } catch (IllegalArgumentException e) {
            h.append("<p class=\"statline ui-state-error\" id=\"neighsyncd-count\">").append(esc(e.getMessage()))
                    .append("</p>\n");
            return;
        }
        java.util.Optional<WatchSnapshot> read = watch.snapshot(selector, null, LIMIT, 5, java.util.concurrent.TimeUnit.SECONDS);
        if (read.isEmpty()) {
            h.append("<p class=\"statline ui-state-error\" id=\"neighsyncd-count\">The engine did not answer within ")
                    .append("5 s (busy, or stopping): reload the page.</p>\n");
            return;
        }
        WatchSnapshot snap = read.get();
        boolean filtered = !query.isEmpty() || vrf != null;
        h.append("<p class=\"statline\" id=\"neighsyncd-count\">");
        if (snap.more()) {
            h.append("The first ").append(LIMIT).append(" matching entries (narrow the search to see others).");
        } else {
            h.append(countText(snap.entries().size(), filtered));
        }
        h.append("</p>\n");
        String explainSuffix = several ? "&" + NAMESPACE + "=" + urlEncode(ns) : "";
        h.append("<p class=\"statline\" id=\"neighsyncd-live\">Read at revision ").append(snap.position().revision())
                .append("; the table follows the changes APPL_DB acknowledges after it while this page is open.</p>\n");
        h.append("<table class=\"nicetable\" id=\"neighsyncd-neighbors\" data-history=\"")
                .append(esc(snap.position().history())).append("\" data-revision=\"").append(snap.position().revision())
                .append("\" data-more=\"").append(snap.more()).append("\" data-limit=\"").append(LIMIT)
                .append("\" data-filtered=\"").append(filtered)
                .append("\" data-explain-suffix=\"").append(esc(explainSuffix)).append("\" data-changes=\"")
                .append(esc(pageUrl + "/" + LiveChanges.PATH + "?" + NAMESPACE + "=" + urlEncode(ns) + "&" + QUERY + "="
                        + urlEncode(query) + "&" + VRF + "=" + urlEncode(vrf == null ? "" : vrf)))
                .append("\">\n<thead><tr><th>Key</th><th>Interface</th>")
                .append("<th>IP</th><th>MAC (neigh)</th><th>Family</th><th>VRF</th></tr></thead>\n<tbody>\n");
        for (WatchEntry e : snap.entries()) {
            NeighborRecord r = e.record();
            h.append("<tr data-key=\"").append(esc(r.key().toString())).append("\" data-sort=\"")
                    .append(esc(RowOrder.sortKey(r.key()))).append("\"><td><a href=\"?").append(EXPLAIN).append('=')
                    .append(esc(urlEncode(r.key().toString()) + explainSuffix))
                    .append("\" title=\"why APPL_DB holds this\">").append(esc(r.key().toString()))
                    .append("</a></td><td>").append(esc(r.key().ifname()))
                    .append("</td><td>").append(esc(r.key().ip().toString())).append("</td><td>")
                    .append(esc(r.mac().toString())).append("</td><td>").append(esc(r.family().sonicName()))
                    .append("</td><td>").append(esc(e.vrf())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        h.append("<script>\n").append(LiveChanges.SCRIPT).append("</script>\n");
    }

    /** The count line of a table that shows every match: the script writes it the same way. */
    static String countText(int n, boolean filtered) {
        return n + (n == 1 ? " entry" : " entries") + (filtered ? " matching." : " in APPL_DB NEIGH_TABLE.");
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void explanation(StringBuilder h, SyncEngine engine, String key) {
        h.append("<table class=\"nicetable\" id=\"neighsyncd-explain\">\n<thead><tr><th colspan=\"2\">")
                .append(esc(key)).append("</th></tr></thead>\n<tbody>\n");
        java.util.Optional<NeighborKey> k = NeighborKey.canonical(key);
        if (k.isEmpty()) {
            row(h, "Key", "not a NEIGH_TABLE key (ifname:ip)");
        } else {
            NeighborExplanation e = engine.explain(k.get()).orElse(null);
            if (e == null) {
                row(h, "Engine", "did not answer within 5 s");
            } else {
                row(h, "VRF", e.vrf());
                row(h, "Kernel", e.kernel() == null ? "no such neighbor" : e.kernel().toString());
                row(h, "Verdict", e.disposition().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + (e.reason() == null ? "" : " (" + e.reason().label() + ")")
                        + (e.desired() == null ? "" : ": " + e.desired()));
                row(h, "APPL_DB", (e.acknowledged() == null ? "no entry" : e.acknowledged().toString())
                        + (e.pending() ? "; writing " + (e.applied() == null ? "a delete" : e.applied().toString()) : ""));
            }
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
                        // as a reference, so that an attribute keeps the character a script compares with
                        b.append("&#").append((int) c).append(';');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
