package net.neighsyncd.api.engine;

/**
 * Why a kernel neighbor message did not reach APPL_DB as a set. SONiC's rules ignore the message;
 * operator policy and vendor filters delete the entry (docs/sonic-contract.md §4).
 */
public enum DropReason {
    /** Neither AF_INET nor AF_INET6 (e.g. bridge FDB entries). */
    NOT_IP("not_ip"),
    /** IPv4 link-local 169.254.0.0/16 on a dual-ToR switch, deletes included. */
    IPV4_LINK_LOCAL_DUAL_TOR("ipv4_link_local_dual_tor"),
    /** IPv6 link-local fe80::/10 on an interface not in link-local-only mode (never a delete). */
    IPV6_LINK_LOCAL("ipv6_link_local"),
    /** IPv6 multicast link-local ffx2::/16, deletes included. */
    IPV6_MULTICAST_LINK_LOCAL("ipv6_multicast_link_local"),
    /** NUD_NOARP without NTF_EXT_LEARNED outside EVPN, deletes included. */
    NOARP("noarp"),
    /** EVPN VXLAN NVO variant: an RTM_NEWNEIGH in NUD_PROBE. */
    PROBE_EVPN("probe_evpn"),
    /** A set without a MAC address. */
    MAC_MISSING("mac_missing"),
    /** A set with MAC ff:ff:ff:ff:ff:ff. */
    MAC_BROADCAST("mac_broadcast"),
    /** Operator policy: the family is not synced. */
    FAMILY_DISABLED("family_disabled"),
    /** Operator policy: the interface is ignored. */
    INTERFACE_IGNORED("interface_ignored"),
    /**
     * Operator policy: the interface's VRF is not synced (a VRF policy with sync off).
     *
     * @since 1.3
     */
    VRF_NOT_SYNCED("vrf_not_synced"),
    /** A vendor filter vetoed the entry. */
    FILTERED("filtered");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** The metrics label and log word, e.g. {@code noarp}. */
    public String label() {
        return label;
    }
}
