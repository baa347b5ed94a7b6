package net.neighsyncd.api.engine;

import net.neighsyncd.api.neighbor.NeighborChange;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the changes that make its store equal to the desired neighbor table. The APPL_DB
 * sink is one; vendors may register more. Calls come from one writer thread per sink.
 */
@ConsumerType
public interface NeighborSink {

    /** Service property: {@code true} on the sink that writes SONiC's APPL_DB. */
    String APPL_DB_PROPERTY = "neighsyncd.sink.appldb";

    /**
     * Applies the changes in order; at most one change per key. Returns once they are durable
     * in the sink's store, or throws and none of them may be taken as applied.
     */
    void apply(List<NeighborChange> changes) throws SinkException;
}
