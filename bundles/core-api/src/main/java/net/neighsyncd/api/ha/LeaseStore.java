package net.neighsyncd.api.ha;

import java.util.Optional;
import java.util.OptionalLong;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where one pipeline's lease and fencing token live: the database of its APPL_DB, so that the
 * token a write script checks is the one the lease increments. The APPL_DB sink's bundle registers
 * one per pipeline, with the pipeline's namespace as
 * {@link net.neighsyncd.api.pipeline.Pipelines#NAMESPACE_PROPERTY}; keys as {@link HaKeys} names
 * them. Safe to call from any thread; each call is atomic in Redis.
 */
@ProviderType
public interface LeaseStore {

    /**
     * Takes the lease for {@code holder} when nobody holds it, for {@code ttlMillis}, and increments
     * the fencing token in the same step.
     *
     * @return the token of this tenure; empty when another holds the lease
     */
    OptionalLong acquire(String holder, long ttlMillis) throws LeaseStoreException;

    /** Extends {@code holder}'s lease to {@code ttlMillis} from now; false when it is no longer its. */
    boolean renew(String holder, long ttlMillis) throws LeaseStoreException;

    /** Ends {@code holder}'s lease now; false when it was not its. */
    boolean release(String holder) throws LeaseStoreException;

    /** Who holds the lease; empty when nobody does. */
    Optional<String> holder() throws LeaseStoreException;

    /** Replication stream entries the consumer group {@code group} has not read; empty when unknown. */
    OptionalLong streamLag(String group) throws LeaseStoreException;
}
