package net.neighsyncd.api.engine;

import java.util.Objects;
import net.neighsyncd.api.neighbor.NeighborRecord;

/**
 * An applied entry as the engine's query answers it: what APPL_DB holds for the key, and the VRF
 * its interface is bound to when asked ({@code default}: none, or no VRF manager running).
 *
 * @param record the entry
 * @param vrf    its interface's VRF
 * @since 1.3
 */
public record NeighborEntry(NeighborRecord record, String vrf) {
    public NeighborEntry {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(vrf, "vrf");
    }
}
