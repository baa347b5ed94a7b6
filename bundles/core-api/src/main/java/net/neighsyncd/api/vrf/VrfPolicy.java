package net.neighsyncd.api.vrf;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import net.neighsyncd.api.neighbor.Family;

/**
 * What an operator decides for the neighbors of one VRF's interfaces, on top of the engine's own
 * rules: whether they are synced at all, which families, and IPv6 link-local.
 *
 * @param sync      false: no neighbor of the VRF is written (an entry already written is deleted)
 * @param families  the families synced in the VRF (and in the engine's own families)
 * @param linkLocal IPv6 link-local in the VRF: as the engine decides, or forced on or off
 * @since 1.1
 */
public record VrfPolicy(boolean sync, Set<Family> families, LinkLocal linkLocal) {
    /** IPv6 link-local neighbors of a VRF's interfaces. */
    public enum LinkLocal {
        /** As the engine's rules decide (CONFIG_DB's link-local-only mode, or its forced setting). */
        INHERIT,
        /** Synced on every interface of the VRF. */
        ALWAYS,
        /** Never synced in the VRF. */
        NEVER
    }

    /** Every neighbor synced as the engine's rules decide: a VRF no policy names. */
    public static final VrfPolicy SYNC_ALL = new VrfPolicy(true, EnumSet.allOf(Family.class), LinkLocal.INHERIT);

    public VrfPolicy {
        Objects.requireNonNull(linkLocal, "linkLocal");
        families = families.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(families));
    }
}
