package net.neighsyncd.api.engine;

import java.util.Objects;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;

/**
 * Everything the engine knows of one key, and why APPL_DB holds what it holds for it.
 *
 * @param key          the key
 * @param vrf          the VRF its interface is bound to ({@code default}: none, or no VRF manager runs)
 * @param kernel       the kernel's last message about it; null when the kernel has none
 * @param disposition  what the rules and filters in force make of that message
 * @param reason       why it is dropped or ignored; null otherwise
 * @param desired      the entry the rules want written; null unless {@link Disposition#SYNCED}
 * @param applied      the MAC handed to the APPL_DB writer; null when a delete (or nothing) was
 * @param acknowledged the MAC APPL_DB holds, as the sink acknowledged it; null when it holds none
 * @since 1.4
 */
public record NeighborExplanation(NeighborKey key, String vrf, NeighborMessage kernel, Disposition disposition, DropReason reason,
        MacAddress desired, MacAddress applied, MacAddress acknowledged) {

    /** What the rules make of the kernel's last message about a key. */
    public enum Disposition {
        /** Written as {@link NeighborExplanation#desired()}. */
        SYNCED,
        /** SONiC's rules delete it: the kernel deleted it, or it is unresolved (INCOMPLETE, FAILED). */
        DELETED,
        /** A rule or a filter does not want the entry: deleted, {@link NeighborExplanation#reason()} says why. */
        DROPPED,
        /** A rule ignores the message: the key keeps what its last accepted message made of it. */
        IGNORED,
        /** The kernel has no such neighbor. */
        NOT_IN_KERNEL
    }

    public NeighborExplanation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(vrf, "vrf");
        Objects.requireNonNull(disposition, "disposition");
    }

    /** Whether a write for the key is on its way to APPL_DB: what was handed to the writer is not yet acknowledged. */
    public boolean pending() {
        return !Objects.equals(applied, acknowledged);
    }
}
