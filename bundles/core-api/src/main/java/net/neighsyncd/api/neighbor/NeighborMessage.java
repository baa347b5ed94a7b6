package net.neighsyncd.api.neighbor;

/**
 * One kernel neighbor message (RTM_NEWNEIGH, RTM_DELNEIGH or a dump reply) as a source decoded
 * it, before any rule is applied.
 *
 * @param deleted       true for RTM_DELNEIGH
 * @param addressFamily the Linux address family ({@code ndm_family}); not only IPv4/IPv6
 * @param ifindex       the interface index
 * @param ifname        the interface name from the source's link cache (the index as text when unknown)
 * @param address       the neighbor address ({@code NDA_DST}); {@code null} when absent or not IP
 * @param mac           the link-layer address ({@code NDA_LLADDR}); {@code null} when absent or not 6 bytes
 * @param state         the NUD state bits, see {@link NudState}
 * @param flags         the neighbor flags, see {@link NeighborFlags}
 * @param masterName    the name of the interface's master device (a VRF, a bridge, a bond), or {@code null}
 *                      when it has none or it is unknown; since 1.4
 */
public record NeighborMessage(boolean deleted, int addressFamily, int ifindex, String ifname, IpAddress address,
        MacAddress mac, int state, int flags, String masterName) {

    /** A message of an interface without a known master. */
    public NeighborMessage(boolean deleted, int addressFamily, int ifindex, String ifname, IpAddress address,
            MacAddress mac, int state, int flags) {
        this(deleted, addressFamily, ifindex, ifname, address, mac, state, flags, null);
    }

    /** The family when the message is IPv4 or IPv6 with an address, else {@code null}. */
    public Family family() {
        Family f = Family.ofAddressFamily(addressFamily);
        return f != null && address != null && address.family() == f ? f : null;
    }

    /** The APPL_DB key; only valid when {@link #family()} is not null. */
    public NeighborKey key() {
        return new NeighborKey(ifname, address);
    }

    @Override
    public String toString() {
        return (deleted ? "DELNEIGH " : "NEWNEIGH ") + ifname + "(" + ifindex + ") af=" + addressFamily + " "
                + address + " lladdr " + mac + " " + NudState.describe(state) + " flags=0x"
                + Integer.toHexString(flags);
    }
}
