package net.neighsyncd.api.health;

import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the daemon that reports its own health: the sync engine merges every contributor's
 * problems into its own health. Register it as a service.
 */
@ConsumerType
public interface HealthContributor {

    /**
     * Why this part is not healthy now, each with its impact on readiness (a configuration
     * rejected while the last good one stays in force is {@link Impact#DEGRADED}); empty when it
     * is healthy. Called from any thread; must be cheap.
     */
    Set<Problem> problems();
}
