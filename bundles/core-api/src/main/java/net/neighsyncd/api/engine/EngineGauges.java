package net.neighsyncd.api.engine;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import net.neighsyncd.api.neighbor.Family;

/**
 * Values the engine reports now. When the engine thread did not answer in time ({@code answered}
 * false) the view sizes are -1, the maps empty and the modes unknown: no value rather than a
 * wrong one.
 *
 * @param answered             the engine thread answered in time
 * @param kernelEntries        neighbors in the kernel view
 * @param desiredEntries       entries APPL_DB should hold
 * @param kernelByFamily       kernel-view neighbors per family
 * @param kernelByState        kernel-view neighbors per NUD state
 * @param modes                the SONiC rule variants in force
 * @param pendingWrites        changes waiting for the APPL_DB sink
 * @param pendingOldestMillis  age of the oldest kernel change APPL_DB has not acknowledged; 0 when none waits
 * @param queueDepth           tasks waiting in the engine queue
 * @param lastDumpMicros       duration of the last completed full dump
 * @param start                what this start wrote last to the warm-restart table; empty until decided
 */
public record EngineGauges(boolean answered, int kernelEntries, int desiredEntries, Map<Family, Integer> kernelByFamily,
        Map<NudCategory, Integer> kernelByState, Optional<ModesInForce> modes, int pendingWrites,
        long pendingOldestMillis, int queueDepth, OptionalLong lastDumpMicros, Optional<StartState> start) {

    public EngineGauges {
        kernelByFamily = Map.copyOf(kernelByFamily);
        kernelByState = Map.copyOf(kernelByState);
    }

    /**
     * The rule variants in force.
     *
     * @param dualTor       SONiC's dual-ToR variant (CONFIG_DB {@code PEER_SWITCH})
     * @param evpnNvo       the EVPN VXLAN variant (CONFIG_DB {@code VXLAN_EVPN_NVO})
     * @param linkLocalOnly link-local-only mode on for at least one interface
     */
    public record ModesInForce(boolean dualTor, boolean evpnNvo, boolean linkLocalOnly) {
    }
}
