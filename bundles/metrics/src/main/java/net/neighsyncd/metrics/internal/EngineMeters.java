package net.neighsyncd.metrics.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import net.neighsyncd.api.engine.SyncStatus;

/**
 * The sync engine's meters, read from {@link SyncStatus} snapshots. Names follow Prometheus
 * conventions once Micrometer's Prometheus naming adds {@code _total} to counters.
 */
final class EngineMeters {
    /** Every drop reason the engine counts ({@code dropped.<reason>}); all registered up front. */
    static final List<String> DROP_REASONS = List.of("not_ip", "ipv4_link_local_dual_tor", "ipv6_link_local",
            "ipv6_multicast_link_local", "probe_evpn", "noarp", "mac_missing", "mac_broadcast", "family_disabled",
            "interface_ignored", "filtered");

    /** NUD state names the engine reports under {@code neighbors.kernel.state.<name>}. */
    static final List<String> NUD_STATES = List.of("incomplete", "reachable", "stale", "delay", "probe", "failed",
            "noarp", "permanent", "other");
    /** SONiC's WARM_RESTART_TABLE states the engine reports under {@code warm_restart.state.<name>}. */
    static final List<String> WARM_RESTART_STATES = List.of("disabled", "initialized", "restored", "reconciled");
    /** The switch modes whose SONiC rule variants the engine reports. */
    static final List<String> SWITCH_MODES = List.of("dual_tor", "evpn_nvo", "link_local_only");

    private EngineMeters() {
    }

    /** Registers the meters; returns them so that they can be removed when the engine goes. */
    static List<Meter> register(MeterRegistry registry, Supplier<SyncStatus> status) {
        List<Meter> m = new ArrayList<>();
        m.add(counter(registry, status, "neighsyncd.messages", "messages", "Kernel neighbor messages received"));
        for (String reason : DROP_REASONS) {
            m.add(dropped(registry, status, reason));
        }
        for (String op : List.of("set", "delete")) {
            m.add(FunctionCounter.builder("neighsyncd.appldb.writes", status, st -> st.get().counter("written." + op))
                    .description("Changes written to APPL_DB NEIGH_TABLE and acknowledged, by operation")
                    .tag("op", op).register(registry));
        }
        m.add(counter(registry, status, "neighsyncd.appldb.errors", "sink.errors",
                "Failed APPL_DB write batches (each is retried)"));
        m.add(counter(registry, status, "neighsyncd.appldb.batches", "sink.batches",
                "APPL_DB write batches acknowledged"));
        m.add(counter(registry, status, "neighsyncd.appldb.batch.changes", "sink.batch.changes",
                "Changes carried by acknowledged APPL_DB write batches (divided by the batches: average batch size)"));
        m.add(FunctionTimer.builder("neighsyncd.appldb.write", status, st -> st.get().counter("sink.batches"),
                st -> st.get().counter("sink.apply.sum_us"), TimeUnit.MICROSECONDS)
                .description("Time spent in successful APPL_DB write batches").register(registry));
        m.add(counter(registry, status, "neighsyncd.appldb.state.reads", "sink.state.reads",
                "Times APPL_DB was read back to repair the applied view"));
        m.add(counter(registry, status, "neighsyncd.netlink.overflows", "netlink.overflows",
                "Netlink socket overflows (ENOBUFS): events were lost"));
        m.add(counter(registry, status, "neighsyncd.resyncs.after.overflow", "resyncs.after_overflow",
                "Full dumps that repaired a netlink overflow"));
        m.add(counter(registry, status, "neighsyncd.dumps.completed", "dumps.completed",
                "Full kernel neighbor dumps completed"));
        m.add(FunctionTimer.builder("neighsyncd.resync.duration", status,
                st -> st.get().counter("dumps.duration.count"), st -> st.get().counter("dumps.duration.sum_us"),
                TimeUnit.MICROSECONDS)
                .description("Full kernel dumps (the first sync and every resync), from the dump's start until the "
                        + "engine has diffed it against APPL_DB (writes not included)").register(registry));
        m.add(Gauge.builder("neighsyncd.resync.last.duration", status,
                st -> microsOrNaN(st.get(), "dumps.duration.last_us"))
                .baseUnit("seconds").description("Duration of the last completed full dump (see neighsyncd.resync.duration)")
                .register(registry));
        for (String state : WARM_RESTART_STATES) {
            m.add(Gauge.builder("neighsyncd.warm.restart.state", status,
                    st -> st.get().counter("warm_restart.state." + state))
                    .description("1 for the state this start last wrote to STATE_DB WARM_RESTART_TABLE|neighsyncd, "
                            + "or disabled for a cold start (which writes no state there), 0 for the others")
                    .tag("state", state).register(registry));
        }
        for (String mode : SWITCH_MODES) {
            m.add(Gauge.builder("neighsyncd.switch.mode", status, st -> st.get().counter("switch_mode." + mode))
                    .description("1 when the rules apply SONiC's variant for this switch mode, read from CONFIG_DB "
                            + "(dual_tor: PEER_SWITCH; evpn_nvo: VXLAN_EVPN_NVO; link_local_only: on for any interface), else 0")
                    .tag("mode", mode).register(registry));
        }
        m.add(Gauge.builder("neighsyncd.appldb.pending.oldest.age", status,
                st -> st.get().counter("appldb.pending.oldest_age_ms") / 1000.0)
                .baseUnit("seconds").description("How long the oldest kernel change not yet acknowledged by APPL_DB "
                        + "has waited; 0 when none waits. Grows while writes are stalled")
                .register(registry));
        m.add(gauge(registry, status, "neighsyncd.engine.queue.depth", s -> s.counter("engine.queue.depth"),
                "Tasks waiting in the engine queue"));
        m.add(gauge(registry, status, "neighsyncd.neighbors.kernel", s -> sizeOrNaN(s.kernelEntries()),
                "Neighbors in the kernel view"));
        for (String family : List.of("ipv4", "ipv6")) {
            m.add(Gauge.builder("neighsyncd.neighbors.kernel.by.family", status,
                    st -> familyOrNaN(st.get(), family))
                    .description("Neighbors in the kernel view, by address family")
                    .tag("family", family.toLowerCase(Locale.ROOT)).register(registry));
        }
        for (String state : NUD_STATES) {
            m.add(Gauge.builder("neighsyncd.neighbors.kernel.by.state", status,
                    st -> countOrNaN(st.get(), "neighbors.kernel.state." + state))
                    .description("Neighbors in the kernel view, by NUD state (other: none or several)")
                    .tag("state", state).register(registry));
        }
        m.add(gauge(registry, status, "neighsyncd.neighbors.desired", s -> sizeOrNaN(s.desiredEntries()),
                "Entries APPL_DB should hold"));
        m.add(gauge(registry, status, "neighsyncd.appldb.pending.writes", SyncStatus::pendingWrites,
                "Changes waiting to be written to APPL_DB"));
        m.add(gauge(registry, status, "neighsyncd.initial.sync.done", s -> s.initialSyncDone() ? 1 : 0,
                "1 once the first full dump is written to APPL_DB, else 0"));
        m.add(gauge(registry, status, "neighsyncd.healthy", s -> s.healthy() ? 1 : 0,
                "1 when the engine reports no problem, else 0"));
        return m;
    }

    /** The counter of one drop reason. */
    static Meter dropped(MeterRegistry registry, Supplier<SyncStatus> status, String reason) {
        return FunctionCounter.builder("neighsyncd.messages.dropped", status,
                st -> st.get().counter(DROPPED_PREFIX + reason))
                .description("Kernel neighbor messages dropped by a rule, by reason")
                .tag("reason", reason).register(registry);
    }

    /** Status counter names of the drop reasons: {@code dropped.<reason>}. */
    static final String DROPPED_PREFIX = "dropped.";

    /** NaN when the engine did not answer in time (no per-family count then). */
    private static double familyOrNaN(SyncStatus s, String family) {
        return countOrNaN(s, "neighbors.kernel." + family);
    }

    /** A status value, NaN when absent (the engine did not answer in time, or has nothing to say yet). */
    private static double countOrNaN(SyncStatus s, String key) {
        Long n = s.counters().get(key);
        return n == null ? Double.NaN : n;
    }

    private static double microsOrNaN(SyncStatus s, String key) {
        return countOrNaN(s, key) / 1_000_000.0;
    }

    /** The engine reports -1 when it did not answer in time: no value rather than a wrong one. */
    private static double sizeOrNaN(int n) {
        return n < 0 ? Double.NaN : n;
    }

    private static Meter counter(MeterRegistry registry, Supplier<SyncStatus> status, String name, String key,
            String description) {
        return FunctionCounter.builder(name, status, st -> st.get().counter(key)).description(description).register(registry);
    }

    private static Meter gauge(MeterRegistry registry, Supplier<SyncStatus> status, String name,
            ToDoubleFunction<SyncStatus> f, String description) {
        return Gauge.builder(name, status, st -> f.applyAsDouble(st.get())).description(description).register(registry);
    }
}
