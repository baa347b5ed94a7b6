package net.neighsyncd.api.health;


import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the daemon that reports its own health: the sync engine merges every contributor's
 * problems into the engine status's problems. Register it as a service.
 *
 * @since 1.3
 */
@ConsumerType
public interface HealthContributor {

    /**
     * Why this part is not healthy now, one line each that names the part (e.g. {@code
     * configuration net.neighsyncd.redis rejected: batchSize=0 is out of range 1..10000});
     * empty when it is healthy. Called from any thread; must be cheap.
     */
    Set<String> problems();
}
