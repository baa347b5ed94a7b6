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
import net.neighsyncd.api.SyncStatus;

/**
 * The sync engine's meters, read from {@link SyncStatus} snapshots. Names follow Prometheus
 * conventions once Micrometer's Prometheus naming adds {@code _total} to counters.
 */
final class EngineMeters {
    /** Every drop reason the engine counts ({@code dropped.<reason>}); all registered up front. */
    static final List<String> DROP_REASONS = List.of("not_ip", "ipv4_link_local_dual_tor", "ipv6_link_local",
            "ipv6_multicast_link_local", "probe_evpn", "noarp", "mac_missing", "mac_broadcast", "family_disabled",
            "interface_ignored", "filtered");

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
        Long n = s.counters().get("neighbors.kernel." + family);
        return n == null ? Double.NaN : n;
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
