package net.neighsyncd.api.engine;

import java.util.Map;
import java.util.SortedSet;
import net.neighsyncd.api.health.Problem;

/**
 * A snapshot of the sync core.
 *
 * @param health     phase, fatal reason and problems
 * @param counters   the engine's counters
 * @param gauges     what the engine reports now
 * @param appDb      the APPL_DB writer's counters
 * @param otherSinks the writers of the other sinks, by sink name
 * @param leadership the pipeline's leadership when it is one of two instances (docs/ha.md); empty
 *                   for a single instance
 * @since 1.5 (leadership)
 */
public record SyncStatus(EngineHealth health, EngineCounters counters, EngineGauges gauges, WriterStats appDb,
        Map<String, WriterStats> otherSinks, java.util.Optional<net.neighsyncd.api.ha.LeadershipStatus> leadership) {

    public SyncStatus {
        otherSinks = Map.copyOf(otherSinks);
        java.util.Objects.requireNonNull(leadership, "leadership");
    }

    /** A single instance's status. */
    public SyncStatus(EngineHealth health, EngineCounters counters, EngineGauges gauges, WriterStats appDb,
            Map<String, WriterStats> otherSinks) {
        this(health, counters, gauges, appDb, otherSinks, java.util.Optional.empty());
    }

    /** Whether this instance stands by for another that writes (one of two, docs/ha.md). */
    public boolean standingBy() {
        return leadership.map(l -> l.role() == net.neighsyncd.api.ha.Role.STANDBY).orElse(false);
    }

    /** The first full dump has been diffed and its writes acknowledged by the APPL_DB sink. */
    public boolean initialSyncDone() {
        return health.phase() == Phase.IN_SYNC;
    }

    /** No problem now. */
    public boolean healthy() {
        return health.healthy();
    }

    public SortedSet<Problem> problems() {
        return health.problems();
    }

    public int kernelEntries() {
        return gauges.kernelEntries();
    }

    public int desiredEntries() {
        return gauges.desiredEntries();
    }

    public int pendingWrites() {
        return gauges.pendingWrites();
    }
}
