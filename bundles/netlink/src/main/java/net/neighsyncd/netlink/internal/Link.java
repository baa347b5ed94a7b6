package net.neighsyncd.netlink.internal;

/**
 * One interface as an RTM_NEWLINK / RTM_DELLINK message describes it.
 *
 * @param family {@code ifi_family}: AF_UNSPEC for real link messages, AF_BRIDGE for bridge-port ones
 * @param index  the interface index
 * @param name   {@code IFLA_IFNAME}, or {@code null} when absent
 * @param master {@code IFLA_MASTER} (the index of the bridge, bond or VRF above it), 0 when none
 * @param kind   {@code IFLA_LINKINFO/IFLA_INFO_KIND} (e.g. {@code veth}, {@code bridge}, {@code vrf}), or {@code null}
 */
record Link(int family, int index, String name, int master, String kind) {
}
