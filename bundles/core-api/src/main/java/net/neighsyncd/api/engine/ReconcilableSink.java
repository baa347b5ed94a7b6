package net.neighsyncd.api.engine;

import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A sink whose store can be read back, so the core can repair it after a fault instead of
 * trusting what it believes it wrote: a reconnect to a restarted or flushed server, a database
 * emptied under it, entries changed by someone else. Calls come from the sink's writer thread,
 * never concurrently with {@link #apply}.
 */
@ConsumerType
public interface ReconcilableSink extends NeighborSink {

    /**
     * True when the store may no longer hold what was applied: the first call, a new connection
     * since the last call, a different server run, or a cheap probe that found applied entries
     * missing. Must be cheap; the writer asks before batches and periodically while idle. May
     * connect, and throws when the store cannot be reached.
     */
    boolean stateInDoubt() throws SinkException;

    /**
     * What the store holds, as its consumer will see it once everything pending is consumed
     * (for APPL_DB: {@code NEIGH_TABLE:<key>} with the producer's pending sets and deletes
     * applied on top). Clears the doubt.
     */
    Map<NeighborKey, NeighborRecord> readState() throws SinkException;
}
