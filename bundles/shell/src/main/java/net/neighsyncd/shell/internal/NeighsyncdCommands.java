package net.neighsyncd.shell.internal;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.engine.NeighborExplanation;
import net.neighsyncd.api.engine.ResyncProgress;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.pipeline.PipelineServices;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.watch.WatchSnapshot;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The Felix Gogo commands of scope {@code neighsyncd}: {@code status}, {@code neighbors
 * [interface]}, {@code resync} and {@code explain <ifname> <ip>}, each for the only pipeline (or
 * the host's) or, with {@code -n NAMESPACE} first, for that pipeline's. Each answers text; a bad
 * argument answers one line saying what is wrong.
 */
@Component(service = NeighsyncdCommands.class, property = {
        "osgi.command.scope=neighsyncd",
        "osgi.command.function=status",
        "osgi.command.function=neighbors",
        "osgi.command.function=resync",
        "osgi.command.function=explain" })
public final class NeighsyncdCommands {
    /** Neighbors {@code neighbors} lists at most. */
    static final int MAX_LISTED = 1000;

    private final PipelineServices<SyncEngine> engines = new PipelineServices<>();
    private final PipelineServices<NeighborWatch> watches = new PipelineServices<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "bindEngine")
    void bindEngine(SyncEngine e, Map<String, Object> props) {
        engines.bind(e, props);
    }

    void unbindEngine(SyncEngine e) {
        engines.unbind(e);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "bindWatch")
    void bindWatch(NeighborWatch w, Map<String, Object> props) {
        watches.bind(w, props);
    }

    void unbindWatch(NeighborWatch w) {
        watches.unbind(w);
    }

    /** {@code neighsyncd:status [-n NAMESPACE]}: phase, start, counts and problems. */
    public String status(String... args) {
        Args a = Args.of(args, 0);
        SyncEngine engine = engines.of(engines.namespaceFor(a.namespace())).orElse(null);
        if (engine == null) {
            return noEngine(a.namespace());
        }
        SyncStatus s = engine.status();
        StringBuilder out = new StringBuilder();
        out.append("phase            ").append(s.health().phase().name().toLowerCase(Locale.ROOT)).append('\n');
        out.append("start            ").append(s.gauges().start().map(st -> st.label()).orElse("deciding"))
                .append('\n');
        out.append("ready            ").append(s.health().ready()).append('\n');
        out.append("kernel neighbors ").append(s.kernelEntries()).append('\n');
        out.append("APPL_DB entries  ").append(s.desiredEntries()).append('\n');
        out.append("pending writes   ").append(s.pendingWrites()).append('\n');
        s.problems().forEach(p -> out.append("problem          ").append(p).append('\n'));
        return out.toString();
    }

    /** {@code neighsyncd:neighbors [-n NAMESPACE] [INTERFACE]}: the applied entries, in address order. */
    public String neighbors(String... args) {
        Args a = Args.of(args, 1);
        NeighborWatch watch = watches.of(watches.namespaceFor(a.namespace())).orElse(null);
        if (watch == null) {
            return noEngine(a.namespace());
        }
        String ifname = a.positional().isEmpty() ? null : a.positional().get(0);
        WatchSnapshot snap = watch.snapshot(new NeighborSelector(ifname, null, null, null, null), null, MAX_LISTED,
                5, TimeUnit.SECONDS).orElse(null);
        if (snap == null) {
            return "the sync engine did not answer within 5 s\n";
        }
        StringBuilder out = new StringBuilder();
        for (WatchEntry e : snap.entries()) {
            out.append(String.format(Locale.ROOT, "%-40s %-17s %-10s %s%n", e.record().key(), e.record().mac(),
                    e.state() == null ? "-" : e.state().label(), e.vrf()));
        }
        out.append(snap.entries().size()).append(" neighbors at revision ").append(snap.position().revision())
                .append(snap.more() ? " (the first " + MAX_LISTED + ")" : "").append('\n');
        return out.toString();
    }

    /** {@code neighsyncd:resync [-n NAMESPACE]}: a full dump diffed against APPL_DB; answers its number. */
    public String resync(String... args) {
        Args a = Args.of(args, 0);
        SyncEngine engine = engines.of(engines.namespaceFor(a.namespace())).orElse(null);
        if (engine == null) {
            return noEngine(a.namespace());
        }
        ResyncProgress p = engine.requestResync("Gogo shell");
        return "resync " + p.id() + ": " + p.state().name().toLowerCase(Locale.ROOT) + "\n";
    }

    /** {@code neighsyncd:explain [-n NAMESPACE] IFNAME IP}: why APPL_DB holds what it holds for the key. */
    public String explain(String... args) {
        Args a = Args.of(args, 2);
        if (a.positional().size() != 2) {
            return "usage: neighsyncd:explain [-n NAMESPACE] IFNAME IP\n";
        }
        NeighborKey key;
        try {
            key = new NeighborKey(a.positional().get(0), IpAddress.parse(a.positional().get(1)));
        } catch (IllegalArgumentException e) {
            return "not an IPv4 or IPv6 address: " + a.positional().get(1) + "\n";
        }
        SyncEngine engine = engines.of(engines.namespaceFor(a.namespace())).orElse(null);
        if (engine == null) {
            return noEngine(a.namespace());
        }
        NeighborExplanation e = engine.explain(key).orElse(null);
        if (e == null) {
            return "the sync engine did not answer within 5 s\n";
        }
        StringBuilder out = new StringBuilder();
        out.append("key     ").append(key).append(" (VRF ").append(e.vrf()).append(")\n");
        out.append("kernel  ").append(e.kernel() == null ? "none" : e.kernel()).append('\n');
        out.append("verdict ").append(e.disposition().name().toLowerCase(Locale.ROOT))
                .append(e.reason() == null ? "" : " (" + e.reason().label() + ")")
                .append(e.desired() == null ? "" : " " + e.desired()).append('\n');
        out.append("APPL_DB ").append(e.acknowledged() == null ? "none" : e.acknowledged())
                .append(e.pending() ? ", writing " + (e.applied() == null ? "a delete" : e.applied()) : "")
                .append('\n');
        return out.toString();
    }

    private static String noEngine(String namespace) {
        return "no sync engine runs" + (namespace == null ? "" : " for namespace '" + namespace + "'") + "\n";
    }
}
