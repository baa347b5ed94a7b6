package net.neighsyncd.api.watch;

import java.util.Objects;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.NeighborRecord;

/**
 * One applied entry: what APPL_DB holds for the key (acknowledged by the sink), with what the
 * engine knows of it when read.
 *
 * @param record the entry
 * @param vrf    the VRF its interface is bound to ({@code default}: none, or no VRF manager runs)
 * @param state  the kernel's NUD state of the neighbor; null when the kernel no longer has it
 *               (its delete is on its way)
 */
public record WatchEntry(NeighborRecord record, String vrf, NudCategory state) {
    public WatchEntry {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(vrf, "vrf");
    }
}
