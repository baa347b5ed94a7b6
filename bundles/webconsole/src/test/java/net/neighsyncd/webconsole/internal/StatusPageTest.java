package net.neighsyncd.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.NeighborEntry;
import net.neighsyncd.api.engine.NeighborQuery;
import net.neighsyncd.api.watch.ChangeFeed;
import net.neighsyncd.api.watch.NeighborOrder;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.watch.WatchPosition;
import net.neighsyncd.api.watch.WatchSnapshot;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.Phase;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.engine.LatencyHistogram;
import net.neighsyncd.api.engine.WriteTuning;
import net.neighsyncd.api.engine.WriterStats;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.testsupport.SyncStatusBuilder;
import org.junit.jupiter.api.Test;

class StatusPageTest {
    /** A fake engine that is also the fake watch of its table. */
    private interface EngineAndWatch extends SyncEngine, NeighborWatch {
    }

    private static String render(SyncEngine e, String q) {
        return render(e, q, null, null, List.of());
    }

    private static String render(SyncEngine e, String q, String vrf, String namespace, List<String> namespaces) {
        return render(e, q, vrf, namespace, namespaces, null);
    }

    private static String render(SyncEngine e, String q, String vrf, String namespace, List<String> namespaces,
            String explain) {
        return StatusPage.render(e, (NeighborWatch) e, q, vrf, namespace, namespaces, explain,
                "/system/console/neighsyncd");
    }

    /** An engine holding {@code records}, searched as the real one is: key or MAC contains the text, ignoring case. */
    private static EngineAndWatch engine(SyncStatus status, List<NeighborRecord> records, List<String> queries) {
        return engine(status, records, queries, java.util.Map.of());
    }

    /** As above, counting {@code byVrf} as its entries per VRF. */
    private static EngineAndWatch engine(SyncStatus status, List<NeighborRecord> records, List<String> queries,
            java.util.Map<String, Integer> byVrf) {
        return new EngineAndWatch() {
            @Override
            public void resync() {
            }

            @Override
            public net.neighsyncd.api.engine.ResyncProgress requestResync(String requester) {
                throw new UnsupportedOperationException("not used by these tests");
            }

            @Override
            public java.util.Optional<net.neighsyncd.api.engine.ResyncProgress> resyncProgress(long id) {
                throw new UnsupportedOperationException("not used by these tests");
            }

            /** The fake explains every key as synced with the MAC 02:00:00:00:00:99, written. */
            @Override
            public java.util.Optional<net.neighsyncd.api.engine.NeighborExplanation> explain(
                    net.neighsyncd.api.neighbor.NeighborKey key) {
                net.neighsyncd.api.neighbor.MacAddress mac = net.neighsyncd.api.neighbor.MacAddress.parse(
                        "02:00:00:00:00:99");
                return java.util.Optional.of(new net.neighsyncd.api.engine.NeighborExplanation(key, "default", null,
                        net.neighsyncd.api.engine.NeighborExplanation.Disposition.SYNCED, null, mac, mac, mac));
            }

            @Override
            public SyncStatus status() {
                return status;
            }

            @Override
            public java.util.Map<String, Integer> neighborsByVrf() {
                return byVrf;
            }

            @Override
            public WatchPosition position() {
                return new WatchPosition("h1", 7);
            }

            /** The fake's table at revision 7: its records, with the VRFs below, selected as the real one does. */
            @Override
            public java.util.Optional<WatchSnapshot> snapshot(NeighborSelector s, NeighborKey after, int limit,
                    long timeout, java.util.concurrent.TimeUnit unit) {
                queries.add((s.text() == null ? "" : s.text()) + "/" + (s.vrf() == null ? "" : s.vrf() + "/") + limit);
                List<WatchEntry> out = new ArrayList<>();
                for (NeighborRecord r : records) {
                    String vrf = r.key().ifname().startsWith("Vlan") ? "Vrf-blue" : "default";
                    if (s.accepts(r.key(), r.mac(), vrf, null)) {
                        out.add(new WatchEntry(r, vrf, null));
                    }
                }
                out.sort((a, b) -> NeighborOrder.compare(a.record().key(), b.record().key()));
                boolean more = out.size() > limit;
                return java.util.Optional.of(new WatchSnapshot(position(), more ? out.subList(0, limit) : out, more));
            }

            @Override
            public ChangeFeed follow(WatchPosition from) {
                throw new UnsupportedOperationException("not used by these tests");
            }

            /** The fake's VRFs: a VLAN interface is in Vrf-blue, every other in the default one. */
            @Override
            public List<NeighborEntry> neighbors(NeighborQuery q) {
                queries.add(q.text() + "/" + (q.vrf() == null ? "" : q.vrf() + "/") + q.limit());
                String t = q.text().toLowerCase(Locale.ROOT);
                List<NeighborEntry> out = new ArrayList<>();
                for (NeighborRecord r : records) {
                    String vrf = r.key().ifname().startsWith("Vlan") ? "Vrf-blue" : "default";
                    boolean text = r.key().toString().toLowerCase(Locale.ROOT).contains(t) || r.mac().toString().contains(t);
                    if (text && out.size() < q.limit() && (q.vrf() == null || q.vrf().equals(vrf))) {
                        out.add(new NeighborEntry(r, vrf));
                    }
                }
                return out;
            }

            @Override
            public List<NeighborRecord> neighbors(String text, int limit) {
                String t = text.toLowerCase(Locale.ROOT);
                List<NeighborRecord> out = new ArrayList<>();
                for (NeighborRecord r : records) {
                    if (out.size() < limit && (r.key().toString().toLowerCase(Locale.ROOT).contains(t)
                            || r.mac().toString().contains(t))) {
                        out.add(r);
                    }
                }
                return out;
            }
        };
    }

    private static NeighborRecord record(String key, String mac) {
        return new NeighborRecord(NeighborKey.parse(key), MacAddress.parse(mac));
    }

    @Test
    void showsStatusCountersAndTheMatchingNeighbors() {
        List<String> queries = new ArrayList<>();
        SyncStatus status = SyncStatusBuilder.inSync().entries(2, 2).written(2, 0).build();
        EngineAndWatch e = engine(status, List.of(record("Ethernet0:10.0.0.1", "02:00:00:00:00:01"),
                record("Ethernet4:10.0.0.2", "02:00:00:00:00:02")), queries);
        String html = render(e, " ethernet4 ");
        assertEquals(List.of("ethernet4/500"), queries);
        assertTrue(html.contains("Sync engine: in sync"), html);
        assertTrue(html.contains("Written to APPL_DB</th></tr>\n<tr><td>sets</td><td>2</td>"), html);
        assertTrue(html.contains(">Ethernet4:10.0.0.2</a></td>"), html);
        assertFalse(html.contains("Ethernet0:10.0.0.1"), html);
        assertTrue(html.contains("1 entry matching."), html);
        assertTrue(html.contains("value=\"ethernet4\""), html);
    }

    @Test
    void givenTheAutoTunerOnWhenRenderedThenTheBatchLimitLingerAndAdjustmentsAreShown() {
        // given
        WriterStats appDb = new WriterStats(0, 0, 0, 0, 0, 0, 0,
                new LatencyHistogram(List.of(1L), List.of(0L), 0, 0), new WriteTuning(true, 256, 400, 9, 3));
        SyncStatus status = SyncStatusBuilder.inSync().appDb(appDb).build();
        // when
        String html = render(engine(status, List.of(), new ArrayList<>()), "");
        // then
        assertTrue(html.contains("<td>APPL_DB batch limit</td><td>256 changes (AutoTuner), linger 400 µs; "
                + "adjusted up 9, down 3 times</td>"), html);
    }

    @Test
    void showsTheRoleTokenLeaseAgeAndStreamLagOfOneOfTwoInstances() {
        // given: a leader and a standby
        SyncStatus leader = SyncStatusBuilder.inSync().leadership(new net.neighsyncd.api.ha.LeadershipStatus(
                net.neighsyncd.api.ha.Role.LEADER, "sw1:42:ab", java.util.Optional.of("sw1:42:ab"),
                java.util.OptionalLong.of(7), java.util.OptionalLong.of(120), java.util.OptionalLong.of(3), 2, 1))
                .build();
        SyncStatus standby = SyncStatusBuilder.inSync().phase(Phase.STARTING)
                .leadership(new net.neighsyncd.api.ha.LeadershipStatus(net.neighsyncd.api.ha.Role.STANDBY, "sw1:43:cd",
                        java.util.Optional.of("sw1:42:ab"), java.util.OptionalLong.empty(),
                        java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), 0, 0))
                .build();
        // when
        String leaderHtml = render(engine(leader, List.of(), new ArrayList<>()), "");
        String standbyHtml = render(engine(standby, List.of(), new ArrayList<>()), "");
        // then
        assertTrue(leaderHtml.contains("<td>High availability</td><td>leader (fencing token 7, lease renewed 120 ms "
                + "ago); this instance sw1:42:ab; stream lag 3 entries; takeovers 2, step-downs 1</td>"), leaderHtml);
        assertTrue(standbyHtml.contains("Sync engine: standby (another instance writes APPL_DB)"), standbyHtml);
        assertTrue(standbyHtml.contains("<td>High availability</td><td>standby; leader sw1:42:ab; this instance "
                + "sw1:43:cd; stream lag unknown; takeovers 0, step-downs 0</td>"), standbyHtml);
        assertFalse(render(engine(SyncStatusBuilder.inSync().build(), List.of(), new ArrayList<>()), "")
                .contains("High availability"), "a single instance shows no role");
    }

    @Test
    void withSeveralPipelinesLinksEachAndKeepsTheSearchOnTheOneShown() {
        // given: the engine of asic1 among the host's, asic0's and asic1's
        SyncStatus status = SyncStatusBuilder.inSync().build();
        EngineAndWatch e = engine(status, List.of(), new ArrayList<>());
        // when
        String html = render(e, "", null, "asic1", List.of("", "asic0", "asic1"));
        // then: a link to each other pipeline, the shown one named, and the search carrying it
        assertTrue(html.contains("<a href=\"?namespace=\">host</a>"), html);
        assertTrue(html.contains("<a href=\"?namespace=asic0\">asic0</a>"), html);
        assertTrue(html.contains("<strong>asic1</strong>"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"namespace\" value=\"asic1\">"), html);
    }

    @Test
    void eachEntryShowsItsVrfAndTheSearchFiltersByOne() {
        // given: an entry in the default VRF and one in Vrf-blue
        List<String> queries = new ArrayList<>();
        EngineAndWatch e = engine(SyncStatusBuilder.inSync().build(), List.of(record("Ethernet0:10.0.0.1", "02:00:00:00:00:01"),
                record("Vlan1000:10.1.0.1", "02:00:00:00:00:02")), queries);
        // when: every VRF, then Vrf-blue only
        String all = render(e, "", null, null, List.of());
        String blue = render(e, "", " Vrf-blue ", null, List.of());
        // then
        assertTrue(all.contains("<td>Ethernet0</td><td>10.0.0.1</td><td>02:00:00:00:00:01</td><td>IPv4</td><td>default</td>"), all);
        assertTrue(all.contains("<td>Vrf-blue</td>"), all);
        assertTrue(blue.contains("Vlan1000:10.1.0.1") && !blue.contains("Ethernet0:10.0.0.1"), blue);
        assertTrue(blue.contains("name=\"vrf\" value=\"Vrf-blue\""), blue);
        assertEquals(List.of("/500", "/Vrf-blue/500"), queries);
    }

    @Test
    void withOnePipelineThePageIsAsBefore() {
        String html = render(engine(SyncStatusBuilder.inSync().build(), List.of(), new ArrayList<>()), "",
                null, "", List.of(""));
        assertFalse(html.contains("neighsyncd-pipelines"), html);
        assertFalse(html.contains("name=\"namespace\""), html);
    }

    @Test
    void theSearchTextIsEscaped() {
        SyncStatus status = SyncStatusBuilder.inSync().phase(Phase.SYNCING).pendingWrites(3)
                .problem(Problem.notReady("net.neighsyncd.redis", "APPL_DB <down>")).build();
        String html = render(engine(status, List.of(), new ArrayList<>()), "\"><script>x</script>");
        assertFalse(html.contains("<script>x"), html);
        assertTrue(html.contains("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""), html);
        assertTrue(html.contains("q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E"), "the live table's poll carries it encoded: " + html);
        assertTrue(html.contains("APPL_DB &lt;down&gt;"), html);
        assertTrue(html.contains("initial sync in progress"), html);
    }

    @Test
    void saysSoWhenNoEngineIsRegistered() {
        String html = render(null, null);
        assertTrue(html.contains("No sync engine is registered"), html);
    }

    @Test
    void showsTheEntriesPerVrfWithTheirNamesEscaped() {
        // given
        java.util.Map<String, Integer> byVrf = new java.util.TreeMap<>(java.util.Map.of("Vrf-red", 2, "default", 1,
                "<b>", 1));
        // when
        String html = render(engine(SyncStatusBuilder.inSync().build(), List.of(), new ArrayList<>(), byVrf),
                "");
        // then
        assertTrue(html.contains("Entries per VRF (APPL_DB)</td><td>&lt;b&gt; 1, Vrf-red 2, default 1"), html);
    }

    @Test
    void listsNeighborsInTheOrderAnOperatorReadsThem() {
        // given
        List<NeighborRecord> records = List.of(
                new NeighborRecord(NeighborKey.parse("Ethernet12:10.0.0.1"), MacAddress.parse("02:00:00:00:00:01")),
                new NeighborRecord(NeighborKey.parse("Ethernet4:10.0.0.10"), MacAddress.parse("02:00:00:00:00:02")),
                new NeighborRecord(NeighborKey.parse("Ethernet4:10.0.0.9"), MacAddress.parse("02:00:00:00:00:03")));
        // when
        String html = render(engine(SyncStatusBuilder.inSync().build(), records, new ArrayList<>()), "");
        // then
        int a = html.indexOf(">Ethernet4:10.0.0.9<");
        int b = html.indexOf(">Ethernet4:10.0.0.10<");
        int c = html.indexOf(">Ethernet12:10.0.0.1<");
        assertTrue(a > 0 && a < b && b < c, html);
    }

    @Test
    void explainsTheKeyItIsAskedAbout() {
        // when
        String html = render(engine(SyncStatusBuilder.inSync().build(), List.of(), new ArrayList<>()), "", null, null, List.of(),
                "Ethernet4:10.0.0.2");
        String bad = render(engine(SyncStatusBuilder.inSync().build(), List.of(), new ArrayList<>()), "", null, null, List.of(),
                "<script>");
        // then
        assertTrue(html.contains("<td>Verdict</td><td>synced: 02:00:00:00:00:99</td>"), html);
        assertTrue(html.contains("<td>APPL_DB</td><td>02:00:00:00:00:99</td>"), html);
        assertTrue(bad.contains("not a NEIGH_TABLE key") && bad.contains("<th colspan=\"2\">&lt;script&gt;</th>"), bad);
    }

    @Test
    void theTableCarriesTheRevisionItWasReadAtAndEachRowItsSortText() {
        // given
        EngineAndWatch e = engine(SyncStatusBuilder.inSync().build(), List.of(record("Ethernet4:10.0.0.2",
                "02:00:00:00:00:02")), new ArrayList<>());
        // when
        String html = render(e, "", null, "asic0", List.of("", "asic0"));
        // then: what the page's script follows from
        assertTrue(html.contains("<table class=\"nicetable\" id=\"neighsyncd-neighbors\" data-history=\"h1\" "
                + "data-revision=\"7\" data-more=\"false\" data-limit=\"500\" data-filtered=\"false\" data-explain-suffix=\"&amp;"
                + "namespace=asic0\" data-changes=\"/system/console/neighsyncd/changes.json?namespace=asic0&amp;q=&amp;vrf=\">"), html);
        assertTrue(html.contains("<tr data-key=\"Ethernet4:10.0.0.2\" data-sort=\""
                + RowOrder.sortKey(NeighborKey.parse("Ethernet4:10.0.0.2")) + "\">"), html);
        assertTrue(html.contains("Read at revision 7;"), html);
        assertTrue(html.contains("<script>\n" + LiveChanges.SCRIPT + "</script>"), html);
    }

    @Test
    void aSearchTextLongerThanTheWatchTakesIsRefusedSayingSo() {
        EngineAndWatch e = engine(SyncStatusBuilder.inSync().build(), List.of(), new ArrayList<>());
        String html = render(e, "x".repeat(NeighborSelector.MAX_TEXT + 1));
        assertTrue(html.contains("a search text of at most 64 characters"), html);
        assertFalse(html.contains("id=\"neighsyncd-neighbors\""), html);
    }
}
