package net.neighsyncd.core.internal;

import net.neighsyncd.api.engine.DropReason;

/** What a dropped message does to what is written for its key: SONiC's effect of each {@link DropReason}. */
enum DropEffect {
    /** SONiC ignores the message: what is written stays as the last accepted message left it. */
    IGNORE_MESSAGE,
    /** The entry is not wanted: what is written is deleted. */
    DELETE_ENTRY;

    static DropEffect of(DropReason reason) {
        return switch (reason) {
            case NOT_IP, IPV4_LINK_LOCAL_DUAL_TOR, IPV6_LINK_LOCAL, IPV6_MULTICAST_LINK_LOCAL, NOARP, PROBE_EVPN,
                    MAC_MISSING, MAC_BROADCAST -> IGNORE_MESSAGE;
            case FAMILY_DISABLED, INTERFACE_IGNORED, VRF_NOT_SYNCED, FILTERED -> DELETE_ENTRY;
        };
    }
}
