package net.neighsyncd.api.watch;

import java.util.Objects;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.NeighborChange;

/**
 * One change the APPL_DB sink acknowledged, numbered.
 *
 * @param revision its revision: one more than the change before it
 * @param change   the write: a set with the new record, or a delete
 * @param vrf      the VRF the key's interface was bound to when the change was numbered
 * @param state    the kernel's NUD state of the neighbor then; null when the kernel had none
 */
public record AppliedChange(long revision, NeighborChange change, String vrf, NudCategory state) {
    public AppliedChange {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(vrf, "vrf");
    }
}
