package net.neighsyncd.netlink.internal;

/**
 * One interface as an RTM_NEWLINK / RTM_DELLINK message describes it.
 *
 * @param family {@code ifi_family}: AF_UNSPEC for real link messages, AF_BRIDGE for bridge-port ones
 * @param index  the interface index
 * @param name   {@code IFLA_IFNAME}, or {@code null} when absent
 * @param master {@code IFLA_MASTER} (the index of the bridge, bond or VRF above it), 0 when none
 * @param kind   {@code IFLA_LINKINFO/IFLA_INFO_KIND} (e.g. {@code veth}, {@code bridge}, {@code vrf}), or {@code null}
 * @param flags  {@code ifi_flags} ({@code IFF_UP}, {@code IFF_LOWER_UP}, ...)
 * @param vrfTable for a link of kind {@code vrf}, its routing table
 *               ({@code IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VRF_TABLE}); 0 when not given
 */
record Link(int family, int index, String name, int master, String kind, int flags, int vrfTable) {
    Link(int family, int index, String name, int master, String kind, int flags) {
        this(family, index, name, master, kind, flags, 0);
    }

    /** {@code IFF_UP}: the interface is administratively up. */
    static final int IFF_UP = 0x1;

    /** The interface is administratively up ({@code IFF_UP} in {@code ifi_flags}). */
    boolean up() {
        return (flags & IFF_UP) != 0;
    }
}
