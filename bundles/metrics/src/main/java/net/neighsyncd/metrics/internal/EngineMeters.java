package net.neighsyncd.metrics.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.EngineGauges;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.engine.StartState;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.neighbor.Family;

/**
 * The sync engine's meters, read from {@link SyncStatus} snapshots. Names follow Prometheus
 * conventions once Micrometer's Prometheus naming adds {@code _total} to counters.
 */
final class EngineMeters {

    private EngineMeters() {
    }

    /** Registers the meters; returns them so that they can be removed when the engine goes. */
    static List<Meter> register(MeterRegistry registry, Supplier<SyncStatus> status) {
        return register(registry, status, Tags.empty());
    }

    /**
     * Registers the meters of one engine, each with {@code common} (its pipeline's
     * {@code namespace} tag); returns them so that they can be removed when the engine goes.
     */
    static List<Meter> register(MeterRegistry registry, Supplier<SyncStatus> status, Tags common) {
        List<Meter> m = new ArrayList<>();
        m.add(counter(registry, status, common, "neighsyncd.messages", c -> c.counters().messages(),
                "Kernel neighbor messages received"));
        for (DropReason reason : DropReason.values()) {
            m.add(FunctionCounter.builder("neighsyncd.messages.dropped", status,
                    st -> st.get().counters().dropped(reason))
                    .description("Kernel neighbor messages dropped by a rule, by reason")
                    .tag("reason", reason.label()).tags(common).register(registry));
        }
        m.add(FunctionCounter.builder("neighsyncd.appldb.writes", status, st -> st.get().appDb().writtenSet())
                .description("Changes written to APPL_DB NEIGH_TABLE and acknowledged, by operation")
                .tag("op", "set").tags(common).register(registry));
        m.add(FunctionCounter.builder("neighsyncd.appldb.writes", status, st -> st.get().appDb().writtenDelete())
                .description("Changes written to APPL_DB NEIGH_TABLE and acknowledged, by operation")
                .tag("op", "delete").tags(common).register(registry));
        m.add(counter(registry, status, common, "neighsyncd.appldb.errors", s -> s.appDb().errors(),
                "Failed APPL_DB write batches (each is retried)"));
        m.add(counter(registry, status, common, "neighsyncd.appldb.batches", s -> s.appDb().batches(),
                "APPL_DB write batches acknowledged"));
        m.add(counter(registry, status, common, "neighsyncd.appldb.batch.changes", s -> s.appDb().batchChanges(),
                "Changes carried by acknowledged APPL_DB write batches (divided by the batches: average batch size)"));
        m.add(FunctionTimer.builder("neighsyncd.appldb.write", status, st -> st.get().appDb().batches(),
                st -> st.get().appDb().applyMicros(), TimeUnit.MICROSECONDS)
                .description("Time spent in successful APPL_DB write batches").tags(common).register(registry));
        m.add(gauge(registry, status, common, "neighsyncd.autotune.batch.size", s -> s.appDb().tuning().batchLimit(),
                "Most changes the APPL_DB writer hands to the sink in its next call: the AutoTuner's limit, or "
                        + "maxBatch with the AutoTuner off"));
        m.add(Gauge.builder("neighsyncd.autotune.linger", status,
                st -> st.get().appDb().tuning().lingerMicros() / 1_000_000.0)
                .baseUnit("seconds").description("How long the APPL_DB writer waited for more changes before its "
                        + "last call (the AutoTuner's linger); 0 when it called at once")
                .tags(common).register(registry));
        m.add(FunctionCounter.builder("neighsyncd.autotune.adjustments", status,
                st -> st.get().appDb().tuning().grown())
                .description("Times the AutoTuner changed the APPL_DB writer's batch limit, by direction")
                .tag("direction", "up").tags(common).register(registry));
        m.add(FunctionCounter.builder("neighsyncd.autotune.adjustments", status,
                st -> st.get().appDb().tuning().shrunk())
                .description("Times the AutoTuner changed the APPL_DB writer's batch limit, by direction")
                .tag("direction", "down").tags(common).register(registry));
        m.add(gauge(registry, status, common, "neighsyncd.autotune.enabled", s -> s.appDb().tuning().enabled() ? 1 : 0,
                "1 while the AutoTuner sizes the APPL_DB writer's calls, 0 with the fixed maxBatch"));
        m.add(counter(registry, status, common, "neighsyncd.appldb.state.reads", s -> s.appDb().stateReads(),
                "Times APPL_DB was read back to repair the applied view"));
        m.add(counter(registry, status, common, "neighsyncd.netlink.overflows", s -> s.counters().overflows(),
                "Netlink socket overflows (ENOBUFS): events were lost"));
        m.add(counter(registry, status, common, "neighsyncd.resyncs.after.overflow", s -> s.counters().resyncsAfterOverflow(),
                "Full dumps that repaired a netlink overflow"));
        m.add(counter(registry, status, common, "neighsyncd.dumps.completed", s -> s.counters().dumpsCompleted(),
                "Full kernel neighbor dumps completed"));
        m.add(counter(registry, status, common, "neighsyncd.config.rejected", s -> s.counters().configRejected(),
                "Engine configurations rejected (the last good one stays in force)"));
        m.add(FunctionTimer.builder("neighsyncd.resync.duration", status,
                st -> st.get().counters().dumpsTimed(), st -> st.get().counters().dumpMicros(),
                TimeUnit.MICROSECONDS)
                .description("Full kernel dumps (the first sync and every resync), from the dump's start until the "
                        + "engine has diffed it against APPL_DB (writes not included)").tags(common).register(registry));
        m.add(Gauge.builder("neighsyncd.resync.last.duration", status,
                st -> {
                    OptionalLong last = st.get().gauges().lastDumpMicros();
                    return last.isPresent() ? last.getAsLong() / 1_000_000.0 : Double.NaN;
                })
                .baseUnit("seconds").description("Duration of the last completed full dump (see neighsyncd.resync.duration)")
                .tags(common).register(registry));
        for (StartState state : StartState.values()) {
            m.add(Gauge.builder("neighsyncd.warm.restart.state", status,
                    st -> st.get().gauges().start().filter(state::equals).isPresent() ? 1 : 0)
                    .description("1 for the state this start last wrote to STATE_DB WARM_RESTART_TABLE|neighsyncd, "
                            + "or disabled for a cold start (which writes no state there), 0 for the others")
                    .tag("state", state.label()).tags(common).register(registry));
        }
        m.add(mode(registry, status, common, "dual_tor", EngineGauges.ModesInForce::dualTor));
        m.add(mode(registry, status, common, "evpn_nvo", EngineGauges.ModesInForce::evpnNvo));
        m.add(mode(registry, status, common, "link_local_only", EngineGauges.ModesInForce::linkLocalOnly));
        m.add(Gauge.builder("neighsyncd.appldb.pending.oldest.age", status,
                st -> st.get().gauges().pendingOldestMillis() / 1000.0)
                .baseUnit("seconds").description("How long the oldest kernel change not yet acknowledged by APPL_DB "
                        + "has waited; 0 when none waits. Grows while writes are stalled")
                .tags(common).register(registry));
        m.add(gauge(registry, status, common, "neighsyncd.engine.queue.depth", s -> s.gauges().queueDepth(),
                "Tasks waiting in the engine queue"));
        m.add(gauge(registry, status, common, "neighsyncd.neighbors.kernel", s -> sizeOrNaN(s.kernelEntries()),
                "Neighbors in the kernel view"));
        for (Family family : Family.values()) {
            m.add(Gauge.builder("neighsyncd.neighbors.kernel.by.family", status,
                    st -> countOrNaN(st.get().gauges().kernelByFamily().get(family)))
                    .description("Neighbors in the kernel view, by address family")
                    .tag("family", family.name().toLowerCase(Locale.ROOT)).tags(common).register(registry));
        }
        for (NudCategory state : NudCategory.values()) {
            m.add(Gauge.builder("neighsyncd.neighbors.kernel.by.state", status,
                    st -> countOrNaN(st.get().gauges().kernelByState().get(state)))
                    .description("Neighbors in the kernel view, by NUD state (other: none or several)")
                    .tag("state", state.label()).tags(common).register(registry));
        }
        m.add(gauge(registry, status, common, "neighsyncd.neighbors.desired", s -> sizeOrNaN(s.desiredEntries()),
                "Entries APPL_DB should hold"));
        m.add(gauge(registry, status, common, "neighsyncd.appldb.pending.writes", SyncStatus::pendingWrites,
                "Changes waiting to be written to APPL_DB"));
        m.add(gauge(registry, status, common, "neighsyncd.initial.sync.done", s -> s.initialSyncDone() ? 1 : 0,
                "1 once the first full dump is written to APPL_DB, else 0"));
        m.add(gauge(registry, status, common, "neighsyncd.healthy", s -> s.healthy() ? 1 : 0,
                "1 when the engine reports no problem, else 0"));
        m.add(gauge(registry, status, common, "neighsyncd.degraded", s -> s.health().degraded() ? 1 : 0,
                "1 when a problem leaves the daemon syncing but not as configured (a rejected configuration value, "
                        + "a netlink overflow being repaired), else 0"));
        m.add(gauge(registry, status, common, "neighsyncd.ready", s -> s.health().ready() ? 1 : 0,
                "1 when in sync and nothing stops the daemon from syncing (what /health/ready reports), else 0"));
        return m;
    }

    private static Meter mode(MeterRegistry registry, Supplier<SyncStatus> status, Tags common, String mode,
            Predicate<EngineGauges.ModesInForce> inForce) {
        return Gauge.builder("neighsyncd.switch.mode", status,
                st -> st.get().gauges().modes().map(m -> inForce.test(m) ? 1.0 : 0.0).orElse(Double.NaN))
                .description("1 when the rules apply SONiC's variant for this switch mode, read from CONFIG_DB "
                        + "(dual_tor: PEER_SWITCH; evpn_nvo: VXLAN_EVPN_NVO; link_local_only: on for any interface), else 0")
                .tag("mode", mode).tags(common).register(registry);
    }

    /** NaN when the engine did not answer in time. */
    private static double countOrNaN(Integer n) {
        return n == null ? Double.NaN : n;
    }

    /** The engine reports -1 when it did not answer in time: no value rather than a wrong one. */
    private static double sizeOrNaN(int n) {
        return n < 0 ? Double.NaN : n;
    }

    private static Meter counter(MeterRegistry registry, Supplier<SyncStatus> status, Tags common, String name,
            ToDoubleFunction<SyncStatus> f, String description) {
        return FunctionCounter.builder(name, status, st -> f.applyAsDouble(st.get())).description(description)
                .tags(common).register(registry);
    }

    private static Meter gauge(MeterRegistry registry, Supplier<SyncStatus> status, Tags common, String name,
            ToDoubleFunction<SyncStatus> f, String description) {
        return Gauge.builder(name, status, st -> f.applyAsDouble(st.get())).description(description).tags(common).register(registry);
    }
}
