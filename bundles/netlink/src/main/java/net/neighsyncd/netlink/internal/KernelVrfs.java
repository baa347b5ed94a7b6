package net.neighsyncd.netlink.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.vrf.VrfBindings;

/**
 * The VRFs of a link cache: the links of kind {@code vrf} (IFLA_INFO_KIND), and each link whose
 * master (IFLA_MASTER) is one of them bound to it. A link enslaved to a bridge or a bond is in
 * no VRF by that: the kernel binds a bridge's ports through the bridge, and the neighbors live
 * on the bridge.
 */
final class KernelVrfs {
    static final String VRF_KIND = "vrf";

    private KernelVrfs() {
    }

    static VrfBindings of(Map<Integer, Link> links) {
        Set<String> vrfs = new HashSet<>();
        Map<String, String> bound = new HashMap<>();
        Map<String, Integer> tables = new HashMap<>();
        for (Link l : links.values()) {
            if (VRF_KIND.equals(l.kind()) && l.name() != null) {
                vrfs.add(l.name());
                if (l.vrfTable() > 0) {
                    tables.put(l.name(), l.vrfTable());
                }
            }
        }
        if (vrfs.isEmpty()) {
            return VrfBindings.NONE;
        }
        for (Link l : links.values()) {
            Link master = l.master() > 0 ? links.get(l.master()) : null;
            if (master != null && VRF_KIND.equals(master.kind()) && master.name() != null && l.name() != null) {
                bound.put(l.name(), master.name());
            }
        }
        return VrfBindings.of(vrfs, bound, tables);
    }
}
