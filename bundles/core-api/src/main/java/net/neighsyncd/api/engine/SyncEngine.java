package net.neighsyncd.api.engine;

import net.neighsyncd.api.neighbor.NeighborRecord;

import org.osgi.annotation.versioning.ProviderType;

/** The sync core as other bundles and operators see it. */
@ProviderType
public interface SyncEngine {

    /** Asks the source for a full dump and writes only what differs. Safe at any time. */
    void resync();

    /**
     * As {@link #resync()}, numbered: the answer tells how to follow it with {@link #resyncProgress}.
     *
     * @param requester who asks, for the log
     * @since 1.4
     */
    ResyncProgress requestResync(String requester);

    /**
     * Where the resync numbered {@code id} stands; empty when this engine numbered none such (the
     * last 64 are kept).
     *
     * @since 1.4
     */
    java.util.Optional<ResyncProgress> resyncProgress(long id);

    /**
     * Everything the engine knows of {@code key}: the kernel's last message, what the rules in force
     * make of it and why, and what was handed to and acknowledged by APPL_DB. Empty when the engine
     * thread does not answer in time.
     *
     * @since 1.4
     */
    java.util.Optional<NeighborExplanation> explain(net.neighsyncd.api.neighbor.NeighborKey key);

    /** A consistent snapshot of the engine's state and counters. */
    SyncStatus status();

    /**
     * Up to {@code limit} entries of the applied view (what APPL_DB holds once the writes are
     * done) whose key or MAC contains {@code text}, ignoring case (every entry when it is empty),
     * sorted by key.
     *
     * @since 1.2
     */
    java.util.List<NeighborRecord> neighbors(String text, int limit);

    /**
     * The applied entries {@code query} asks for, sorted by key, each with the VRF its interface is
     * bound to by the VRF manager's bindings at the time of the call; empty when the engine thread
     * does not answer in time.
     *
     * @since 1.3
     */
    java.util.List<NeighborEntry> neighbors(NeighborQuery query);

    /**
     * Entries of the applied view per VRF, by the bindings of the VRF manager's
     * {@code net.neighsyncd.api.vrf.VrfResolver} ({@code default} for an interface in no VRF, and
     * for every interface while no VRF manager runs); a VRF without entries is left out. Empty
     * when the engine thread does not answer in time.
     *
     * @since 1.2
     */
    java.util.Map<String, Integer> neighborsByVrf();
}
