package net.neighsyncd.api.engine;

import net.neighsyncd.api.neighbor.NeighborRecord;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A vendor rule applied after SONiC's rules: veto a neighbor (empty) or rewrite it. Filters run
 * in service ranking order, highest first; each sees what the previous one returned. A filter
 * must be a pure function of its input and its configuration.
 */
@ConsumerType
public interface NeighborFilter {

    Optional<NeighborRecord> filter(NeighborRecord record);
}
