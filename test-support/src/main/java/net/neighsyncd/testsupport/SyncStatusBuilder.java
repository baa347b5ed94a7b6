package net.neighsyncd.testsupport;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.EngineCounters;
import net.neighsyncd.api.engine.EngineGauges;
import net.neighsyncd.api.engine.EngineHealth;
import net.neighsyncd.api.engine.LatencyHistogram;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.engine.Phase;
import net.neighsyncd.api.engine.StartState;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.engine.WriterStats;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.neighbor.Family;

/** A {@link SyncStatus} for tests of its consumers: everything zero and in sync unless set. */
public final class SyncStatusBuilder {
    private java.util.Optional<net.neighsyncd.api.ha.LeadershipStatus> leadership = java.util.Optional.empty();
    private Phase phase = Phase.IN_SYNC;
    private String fatalReason = "";
    private final Set<Problem> problems = new TreeSet<>();
    private int kernel;
    private int desired;
    private int pending;
    private int queueDepth;
    private long messages;
    private long overflows;
    private long writtenSet;
    private long writtenDelete;
    private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
    private Optional<StartState> start = Optional.empty();
    private WriterStats appDb;
    private final Map<Family, Integer> byFamily = new EnumMap<>(Family.class);
    private Optional<EngineGauges.ModesInForce> modes = Optional.of(new EngineGauges.ModesInForce(false, false, false));

    public static SyncStatusBuilder inSync() {
        return new SyncStatusBuilder();
    }

    public SyncStatusBuilder phase(Phase p) {
        phase = p;
        return this;
    }

    public SyncStatusBuilder failed(String reason) {
        phase = Phase.FAILED;
        fatalReason = reason;
        return this;
    }

    public SyncStatusBuilder problem(Problem p) {
        problems.add(p);
        return this;
    }

    public SyncStatusBuilder entries(int kernelEntries, int desiredEntries) {
        kernel = kernelEntries;
        desired = desiredEntries;
        return this;
    }

    public SyncStatusBuilder pendingWrites(int n) {
        pending = n;
        return this;
    }

    public SyncStatusBuilder queueDepth(int n) {
        queueDepth = n;
        return this;
    }

    public SyncStatusBuilder messages(long n) {
        messages = n;
        return this;
    }

    public SyncStatusBuilder overflows(long n) {
        overflows = n;
        return this;
    }

    public SyncStatusBuilder written(long sets, long deletes) {
        writtenSet = sets;
        writtenDelete = deletes;
        return this;
    }

    public SyncStatusBuilder dropped(DropReason reason, long n) {
        dropped.put(reason, n);
        return this;
    }

    public SyncStatusBuilder start(StartState s) {
        start = Optional.of(s);
        return this;
    }

    public SyncStatusBuilder modes(boolean dualTor, boolean evpnNvo, boolean linkLocalOnly) {
        modes = Optional.of(new EngineGauges.ModesInForce(dualTor, evpnNvo, linkLocalOnly));
        return this;
    }

    /** The APPL_DB writer's counters; by default zero but for {@link #written}. */
    /** One of two instances, with this leadership (docs/ha.md). */
    public SyncStatusBuilder leadership(net.neighsyncd.api.ha.LeadershipStatus l) {
        this.leadership = java.util.Optional.of(l);
        return this;
    }

    public SyncStatusBuilder appDb(WriterStats stats) {
        appDb = stats;
        return this;
    }

    /** Kernel-view neighbors of a family; by default all of them IPv4. */
    public SyncStatusBuilder family(Family f, int n) {
        byFamily.put(f, n);
        return this;
    }

    public SyncStatus build() {
        Map<Family, Integer> families = new EnumMap<>(Family.class);
        families.put(Family.IPV4, kernel);
        families.put(Family.IPV6, 0);
        families.putAll(byFamily);
        Map<NudCategory, Integer> byState = new EnumMap<>(NudCategory.class);
        for (NudCategory c : NudCategory.values()) {
            byState.put(c, c == NudCategory.REACHABLE ? kernel : 0);
        }
        EngineCounters counters = new EngineCounters(messages, 0, overflows, 0, 0, writtenSet, writtenDelete, 0, 0, 0,
                dropped);
        EngineGauges gauges = new EngineGauges(true, kernel, desired, families, byState, modes, pending, 0, queueDepth,
                OptionalLong.empty(), start);
        LatencyHistogram latency = new LatencyHistogram(List.of(1L), List.of(0L), 0, 0);
        WriterStats writer = appDb != null ? appDb : new WriterStats(writtenSet, writtenDelete, 0, 0, 0, 0, 0, latency);
        return new SyncStatus(EngineHealth.of(phase, fatalReason, problems), counters, gauges, writer, new HashMap<>(),
                leadership);
    }
}
