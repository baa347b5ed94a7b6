package net.neighsyncd.core.internal;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.neighsyncd.api.engine.EngineHealth;
import net.neighsyncd.api.engine.Phase;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Problem;

/** Turns what the engine knows about itself and what its contributors report into its {@link EngineHealth}. */
final class HealthAssessor {

    /**
     * What the engine knows about itself now.
     *
     * @param startPhase         the start sequence's step while it runs; empty once it has released the engine
     * @param sourceBound        a neighbor source is bound
     * @param applDbBound        the APPL_DB sink is bound
     * @param overflowUnrepaired a netlink overflow has no completed resync after it
     * @param writesFailing      APPL_DB writes fail (they are retried)
     * @param configProblem      the engine's own configuration rejection
     * @param fatal              why the engine failed
     * @param initialSyncDone    the first full sync is written
     */
    record Facts(Optional<String> startPhase, boolean sourceBound, boolean applDbBound, boolean overflowUnrepaired,
            boolean writesFailing, Optional<Problem> configProblem, Optional<String> fatal, boolean initialSyncDone) {
    }

    private final String component;

    /** {@code component} names the engine in its own problems (its configuration PID). */
    HealthAssessor(String component) {
        this.component = component;
    }

    EngineHealth assess(Facts facts, Collection<HealthContributor> contributors) {
        Set<Problem> p = new TreeSet<>();
        facts.startPhase().ifPresent(step -> p.add(Problem.notReady(component, step)));
        if (!facts.sourceBound()) {
            p.add(Problem.notReady(component, "no neighbor source"));
        }
        if (!facts.applDbBound()) {
            p.add(Problem.notReady(component, "no APPL_DB sink"));
        }
        if (facts.overflowUnrepaired()) {
            p.add(Problem.degraded(component, "netlink overflow: resync not yet complete"));
        }
        if (facts.writesFailing()) {
            p.add(Problem.notReady(component, "APPL_DB writes failing"));
        }
        facts.configProblem().ifPresent(p::add);
        for (HealthContributor h : contributors) {
            try {
                p.addAll(h.problems());
            } catch (RuntimeException e) {
                p.add(Problem.notReady(h.getClass().getName(), "cannot report its health: " + e));
            }
        }
        Phase phase = facts.fatal().isPresent() ? Phase.FAILED
                : facts.initialSyncDone() ? Phase.IN_SYNC
                : facts.startPhase().isPresent() ? Phase.STARTING
                : Phase.SYNCING;
        return EngineHealth.of(phase, facts.fatal().orElse(""), p);
    }
}
