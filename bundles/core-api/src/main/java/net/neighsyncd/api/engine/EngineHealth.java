package net.neighsyncd.api.engine;

import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import net.neighsyncd.api.health.Impact;
import net.neighsyncd.api.health.Problem;

/**
 * The engine's phase and every problem known now (its own and its contributors').
 *
 * @param phase       where the engine is
 * @param fatalReason why the engine failed; empty unless {@code phase} is {@link Phase#FAILED}
 * @param problems    each with its impact; empty when healthy
 */
public record EngineHealth(Phase phase, String fatalReason, SortedSet<Problem> problems) {

    public EngineHealth {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(fatalReason, "fatalReason");
        problems = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(problems));
    }

    public static EngineHealth of(Phase phase, String fatalReason, Set<Problem> problems) {
        return new EngineHealth(phase, fatalReason, new TreeSet<>(problems));
    }

    /** The process should be restarted: only after a fatal error. */
    public boolean alive() {
        return phase != Phase.FAILED;
    }

    /** In sync and nothing stops it syncing; degraded problems do not take readiness away. */
    public boolean ready() {
        return phase == Phase.IN_SYNC && problems.stream().noneMatch(p -> p.impact() == Impact.NOT_READY);
    }

    /** At least one problem that leaves the daemon syncing. */
    public boolean degraded() {
        return problems.stream().anyMatch(p -> p.impact() == Impact.DEGRADED);
    }

    /** No problem at all. */
    public boolean healthy() {
        return problems.isEmpty() && phase != Phase.FAILED;
    }
}
