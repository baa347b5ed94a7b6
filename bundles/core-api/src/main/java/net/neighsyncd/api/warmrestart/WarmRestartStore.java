package net.neighsyncd.api.warmrestart;

import net.neighsyncd.api.engine.SinkException;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * SONiC's warm-restart tables (docs/sonic-contract.md §5) and the APPL_DB reads and deletes a
 * warm start needs.
 * The APPL_DB sink implements it and also registers it as a service.
 */
@ProviderType
public interface WarmRestartStore {

    /** SONiC's application name of this daemon in the warm-restart tables. */
    String APP = "neighsyncd";
    /** The docker (service group) it belongs to. */
    String DOCKER = "swss";

    String STATE_INITIALIZED = "initialized";
    String STATE_RESTORED = "restored";
    String STATE_RECONCILED = "reconciled";

    /**
     * Decides warm or cold as SONiC does: warm when STATE_DB {@code WARM_RESTART_ENABLE_TABLE|system}
     * or {@code |<docker>} has {@code enable}={@code true} and {@code WARM_RESTART_TABLE|<app>}
     * has a {@code restore_count}. Warm: increments {@code restore_count} and sets {@code state}
     * = {@code initialized}. Cold: sets {@code restore_count} = 0 and nothing else (SONiC's
     * neighsyncd writes no {@code state} on a cold start).
     *
     * @return true for a warm start
     */
    boolean beginStart(String app, String docker) throws SinkException;

    /** Sets STATE_DB {@code WARM_RESTART_TABLE|<app>} {@code state}. */
    void setState(String app, String state) throws SinkException;

    /**
     * CONFIG_DB {@code WARM_RESTART|<docker>} {@code <app>_timer} in seconds when it is set to
     * a whole number from 1 to 9999; empty otherwise (the caller's default applies).
     */
    OptionalInt reconcileTimerSeconds(String app, String docker) throws SinkException;

    /** STATE_DB {@code NEIGH_RESTORE_TABLE|Flags} has {@code restored} = {@code true}. */
    boolean neighborsRestored() throws SinkException;

    /** Sets STATE_DB {@code NEIGH_RESTORE_TABLE|Flags} {@code restored} = {@code true}. */
    void markNeighborsRestored() throws SinkException;

    /** Removes the producer's pending objects: {@code NEIGH_TABLE_KEY_SET}, {@code NEIGH_TABLE_DEL_SET}, {@code _NEIGH_TABLE:*}. */
    void clearPending() throws SinkException;

    /** The applied entries {@code NEIGH_TABLE:*} only, ignoring anything pending. */
    Map<NeighborKey, NeighborRecord> readApplied() throws SinkException;

    /**
     * The keys {@code K} of the {@code NEIGH_TABLE:K} entries that {@link #readApplied} leaves out
     * because they are not neighbors as this daemon writes them: a key that is not a canonical
     * {@code <ifname>:<ip>}, a {@code neigh} that is not a lower-case MAC, a {@code family} that
     * is not the address's, a Redis key that is not a hash. SONiC's warm reconcile deletes every
     * key the kernel did not confirm, whatever its shape.
     *
     * @since 1.7
     */
    Set<String> unreadableApplied() throws SinkException;

    /**
     * Deletes the entries {@code NEIGH_TABLE:K} of these keys {@code K}, taken as they are, with
     * the producer's delete (the consumer removes them); for keys no {@link NeighborKey} spells.
     *
     * @since 1.7
     */
    void deleteApplied(Collection<String> keys) throws SinkException;
}
