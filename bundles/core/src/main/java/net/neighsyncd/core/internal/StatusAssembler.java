package net.neighsyncd.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.neighsyncd.api.engine.EngineGauges;
import net.neighsyncd.api.engine.EngineHealth;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.engine.StartState;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.engine.WriterStats;
import net.neighsyncd.api.neighbor.Family;

/**
 * Builds a {@link SyncStatus}: the views' sizes and the modes in force are read on the engine
 * thread (bounded: when it does not answer in time they are reported as unknown), the counters
 * from their tallies.
 */
final class StatusAssembler {
    /** How long a status waits for the engine thread. */
    static final long ENGINE_ANSWER_SECONDS = 5;

    private record ViewFacts(int kernel, int desired, Map<Family, Integer> byFamily, Map<NudCategory, Integer> byState,
            EngineGauges.ModesInForce modes) {
    }

    private final EngineThread engine;
    private final NeighborView view;
    private final EngineTally engineTally;
    private final SinkWriter applDb;
    private final WriterTally applDbTally;

    StatusAssembler(EngineThread engine, NeighborView view, EngineTally engineTally, SinkWriter applDb,
            WriterTally applDbTally) {
        this.engine = engine;
        this.view = view;
        this.engineTally = engineTally;
        this.applDb = applDb;
        this.applDbTally = applDbTally;
    }

    SyncStatus status(EngineHealth health, Optional<StartState> start, OptionalLong lastDumpMicros,
            Map<String, WriterTally> otherSinks) {
        AtomicReference<ViewFacts> facts = new AtomicReference<>();
        try {
            engine.runAndWait(() -> facts.set(new ViewFacts(view.kernelSize(), view.appliedSize(),
                    view.kernelSizeByFamily(), view.kernelSizeByState(), new EngineGauges.ModesInForce(
                            view.dualTorInForce(), view.modes().evpnNvo(), view.linkLocalOnlyInForce()))),
                    ENGINE_ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ViewFacts f = facts.get();
        long oldestRead = applDb.oldestPendingReadNanos();
        long oldestMillis = oldestRead == 0 ? 0
                : Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldestRead));
        EngineGauges gauges = new EngineGauges(f != null, f == null ? -1 : f.kernel(), f == null ? -1 : f.desired(),
                f == null ? Map.of() : f.byFamily(), f == null ? Map.of() : f.byState(),
                f == null ? Optional.empty() : Optional.of(f.modes()), applDb.pending(), oldestMillis, engine.depth(),
                lastDumpMicros, start);
        Map<String, WriterStats> others = new HashMap<>();
        otherSinks.forEach((name, tally) -> others.put(name, tally.snapshot()));
        return new SyncStatus(health, engineTally.snapshot(), gauges, applDbTally.snapshot(), others);
    }
}
