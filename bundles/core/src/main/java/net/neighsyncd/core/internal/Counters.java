package net.neighsyncd.core.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Named monotonic counters, safe to bump from any thread. */
final class Counters {
    static final String MESSAGES = "messages";
    static final String DUMPS = "dumps.completed";
    static final String OVERFLOWS = "netlink.overflows";
    static final String RESYNCS_AFTER_OVERFLOW = "resyncs.after_overflow";
    static final String LINKS_REMOVED = "links.removed";
    static final String CHANGES_SET = "changes.set";
    static final String CHANGES_DELETE = "changes.delete";
    static final String WRITTEN_SET = "written.set";
    static final String WRITTEN_DELETE = "written.delete";
    static final String SINK_ERRORS = "sink.errors";
    static final String STATE_READS = "sink.state.reads";
    static final String DROPPED_PREFIX = "dropped.";
    /** Write batches a sink acknowledged, and the changes they carried (average batch size = changes / batches). */
    static final String SINK_BATCHES = "sink.batches";
    static final String SINK_BATCH_CHANGES = "sink.batch.changes";
    /** Microseconds spent in successful {@code apply()} calls (count = {@link #SINK_BATCHES}). */
    static final String SINK_APPLY_SUM_US = "sink.apply.sum_us";
    /**
     * End-to-end latency from the engine taking a kernel message to the sink acknowledging the
     * write with that key's change: cumulative {@code latency.e2e.le.<ms>} buckets, sum in
     * microseconds and count.
     */
    static final String LATENCY_PREFIX = "latency.e2e.";
    static final String LATENCY_LE_PREFIX = LATENCY_PREFIX + "le.";
    static final String LATENCY_SUM_US = LATENCY_PREFIX + "sum_us";
    static final String LATENCY_COUNT = LATENCY_PREFIX + "count";
    /** Upper bounds of the latency buckets, in milliseconds. */
    static final long[] LATENCY_BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    /**
     * Full dumps timed from the source's start to the engine having diffed them (a resync's
     * duration, writes not included): count and sum in microseconds; the last one is a status
     * value ({@code dumps.duration.last_us}), not a counter.
     */
    static final String DUMPS_TIMED = "dumps.duration.count";
    static final String DUMPS_DURATION_SUM_US = "dumps.duration.sum_us";
    static final String DUMPS_DURATION_LAST_US = "dumps.duration.last_us";
    /** Status value: 1 when the rules apply SONiC's dual-ToR variant (CONFIG_DB {@code PEER_SWITCH}), else 0. */
    static final String SWITCH_MODE_DUAL_TOR = "switch_mode.dual_tor";
    /** Status value: 1 when the rules apply SONiC's EVPN VXLAN variant (CONFIG_DB {@code VXLAN_EVPN_NVO}), else 0. */
    static final String SWITCH_MODE_EVPN_NVO = "switch_mode.evpn_nvo";
    /** Status value: 1 when link-local-only mode is on for at least one interface (CONFIG_DB or forced), else 0. */
    static final String SWITCH_MODE_LINK_LOCAL_ONLY = "switch_mode.link_local_only";
    /** Status value: 1 under {@code warm_restart.state.<state>} for the state this start wrote last. */
    static final String WARM_RESTART_STATE_PREFIX = "warm_restart.state.";
    /** Status value: age in milliseconds of the oldest kernel change the APPL_DB writer has not had acknowledged. */
    static final String PENDING_OLDEST_AGE_MS = "appldb.pending.oldest_age_ms";
    /** Kernel-view neighbors per NUD state ({@code neighbors.kernel.state.reachable}, ...): status values. */
    static final String NEIGHBORS_KERNEL_STATE_PREFIX = "neighbors.kernel.state.";
    /** Kernel-view neighbors per family ({@code neighbors.kernel.ipv4}, {@code .ipv6}): status values, not counters. */
    static final String NEIGHBORS_KERNEL_PREFIX = "neighbors.kernel.";

    private final Map<String, LongAdder> values = new ConcurrentHashMap<>();

    void add(String name, long n) {
        values.computeIfAbsent(name, k -> new LongAdder()).add(n);
    }

    void increment(String name) {
        add(name, 1);
    }

    void dropped(DropReason reason) {
        increment(DROPPED_PREFIX + reason.label());
    }

    /**
     * One end-to-end latency sample under {@code prefix}: every bucket whose bound it fits in
     * (cumulative, as Prometheus wants them), the sum and the count.
     */
    void latency(String prefix, long nanos) {
        long micros = Math.max(0, nanos / 1_000);
        for (long bound : LATENCY_BOUNDS_MS) {
            if (micros <= bound * 1_000) {
                increment(prefix + LATENCY_LE_PREFIX + bound);
            }
        }
        add(prefix + LATENCY_SUM_US, micros);
        increment(prefix + LATENCY_COUNT);
    }

    long get(String name) {
        LongAdder a = values.get(name);
        return a == null ? 0 : a.sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
