package net.neighsyncd.api;

import java.util.Set;

/**
 * The switch settings of CONFIG_DB that SONiC's neighbor rules depend on.
 *
 * @param dualTor             CONFIG_DB holds a {@code PEER_SWITCH|*} key
 * @param linkLocalInterfaces interfaces whose {@code ipv6_use_link_local_only} is {@code enable}
 */
public record SwitchModes(boolean dualTor, Set<String> linkLocalInterfaces) {
    /** A switch with no CONFIG_DB settings: not dual-ToR, no link-local-only interface. */
    public static final SwitchModes DEFAULT = new SwitchModes(false, Set.of());

    public SwitchModes {
        linkLocalInterfaces = Set.copyOf(linkLocalInterfaces);
    }

    public boolean linkLocalOnly(String ifname) {
        return linkLocalInterfaces.contains(ifname);
    }
}
