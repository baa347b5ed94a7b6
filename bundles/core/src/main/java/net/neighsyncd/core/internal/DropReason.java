package net.neighsyncd.core.internal;

/**
 * Why a kernel neighbor message does not reach APPL_DB as a set; the label names its counter.
 * Each reason has the {@link Effect} SONiC gives it (docs/sonic-contract.md lists them).
 */
enum DropReason {
    /** Rule 1: neither AF_INET nor AF_INET6 (e.g. bridge FDB entries). */
    NOT_IP("not_ip", Effect.IGNORE_MESSAGE),
    /** Rule 3: IPv4 link-local 169.254.0.0/16 on a dual-ToR switch, deletes included. */
    IPV4_LINK_LOCAL_DUAL_TOR("ipv4_link_local_dual_tor", Effect.IGNORE_MESSAGE),
    /** Rule 4: IPv6 link-local fe80::/10 on an interface not in link-local-only mode (never a delete). */
    IPV6_LINK_LOCAL("ipv6_link_local", Effect.IGNORE_MESSAGE),
    /** Rule 5: IPv6 multicast link-local ffx2::/16, deletes included. */
    IPV6_MULTICAST_LINK_LOCAL("ipv6_multicast_link_local", Effect.IGNORE_MESSAGE),
    /** Rule 6: NUD_NOARP without NTF_EXT_LEARNED outside EVPN, deletes included. */
    NOARP("noarp", Effect.IGNORE_MESSAGE),
    /** EVPN VXLAN NVO variant: an RTM_NEWNEIGH in NUD_PROBE. */
    PROBE_EVPN("probe_evpn", Effect.IGNORE_MESSAGE),
    /** Rule 8: a set without a MAC address. */
    MAC_MISSING("mac_missing", Effect.IGNORE_MESSAGE),
    /** Rule 8: a set with MAC ff:ff:ff:ff:ff:ff. */
    MAC_BROADCAST("mac_broadcast", Effect.IGNORE_MESSAGE),
    /** Operator policy: the family is not synced ({@code families}). */
    FAMILY_DISABLED("family_disabled", Effect.DELETE_ENTRY),
    /** Operator policy: the interface matches {@code ignoreInterfaces}. */
    INTERFACE_IGNORED("interface_ignored", Effect.DELETE_ENTRY),
    /** A vendor filter vetoed the entry. */
    FILTERED("filtered", Effect.DELETE_ENTRY);

    /** What a dropped message does to what is written for its key. */
    enum Effect {
        /** SONiC ignores the message: what is written stays as the last accepted message left it. */
        IGNORE_MESSAGE,
        /** The entry is not wanted: what is written is deleted. */
        DELETE_ENTRY
    }

    private final String label;
    private final Effect effect;

    DropReason(String label, Effect effect) {
        this.label = label;
        this.effect = effect;
    }

    String label() {
        return label;
    }

    Effect effect() {
        return effect;
    }
}
