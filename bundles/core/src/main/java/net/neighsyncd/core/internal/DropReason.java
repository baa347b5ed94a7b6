package net.neighsyncd.core.internal;

/** Why a kernel neighbor message does not reach APPL_DB; the label names its counter. */
enum DropReason {
    /** Rule 1: neither AF_INET nor AF_INET6 (e.g. bridge FDB entries). */
    NOT_IP("not_ip"),
    /** Rule 3: IPv4 link-local 169.254.0.0/16 on a dual-ToR switch. */
    IPV4_LINK_LOCAL_DUAL_TOR("ipv4_link_local_dual_tor"),
    /** Rule 4: IPv6 link-local fe80::/10 on an interface not in link-local-only mode. */
    IPV6_LINK_LOCAL("ipv6_link_local"),
    /** Rule 5: IPv6 multicast link-local ff02::/16. */
    IPV6_MULTICAST_LINK_LOCAL("ipv6_multicast_link_local"),
    /** Rule 6: NUD_NOARP without NTF_EXT_LEARNED. */
    NOARP("noarp"),
    /** EVPN VXLAN NVO variant: NUD_PROBE messages are ignored. */
    PROBE_EVPN("probe_evpn"),
    /** Rule 8: a set without a usable MAC address. */
    MAC_MISSING("mac_missing"),
    /** Rule 8: a set with MAC ff:ff:ff:ff:ff:ff. */
    MAC_BROADCAST("mac_broadcast"),
    /** Operator policy: the family is not synced ({@code families}). */
    FAMILY_DISABLED("family_disabled"),
    /** Operator policy: the interface matches {@code ignoreInterfaces}. */
    INTERFACE_IGNORED("interface_ignored"),
    /** A vendor filter vetoed the entry. */
    FILTERED("filtered");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
