package net.neighsyncd.api.engine;

import java.util.Set;

/**
 * The switch settings of CONFIG_DB that SONiC's neighbor rules depend on.
 *
 * @param dualTor             CONFIG_DB holds a {@code PEER_SWITCH|*} key
 * @param linkLocalInterfaces interfaces whose {@code ipv6_use_link_local_only} is {@code enable}
 * @param evpnNvo             CONFIG_DB holds a {@code VXLAN_EVPN_NVO|*} key; since 1.4
 */
public record SwitchModes(boolean dualTor, Set<String> linkLocalInterfaces, boolean evpnNvo) {
    /** A switch with no CONFIG_DB settings: not dual-ToR, no link-local-only interface, no EVPN NVO. */
    public static final SwitchModes DEFAULT = new SwitchModes(false, Set.of(), false);

    public SwitchModes {
        linkLocalInterfaces = Set.copyOf(linkLocalInterfaces);
    }

    /** Modes of a switch without an EVPN NVO. */
    public SwitchModes(boolean dualTor, Set<String> linkLocalInterfaces) {
        this(dualTor, linkLocalInterfaces, false);
    }

    public boolean linkLocalOnly(String ifname) {
        return linkLocalInterfaces.contains(ifname);
    }
}
