package net.neighsyncd.vrf.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfOrigin;

/**
 * The bindings in force from what each source says: every VRF any source knows; for an interface,
 * CONFIG_DB's binding when CONFIG_DB binds it, else the kernel's. CONFIG_DB wins because it is
 * what orchagent acts on: its router interfaces get their VRF from CONFIG_DB through intfmgrd,
 * and a kernel that disagrees is one vrfmgrd has not caught up with yet (docs/behaviour.md, VRFs).
 */
final class VrfMerge {
    /**
     * @param bindings      the bindings in force
     * @param disagreements interface to "CONFIG_DB's VRF / the kernel's VRF", where both bind it
     *                      and differ (sorted)
     */
    record Result(VrfBindings bindings, Map<String, String> disagreements) {
    }

    private VrfMerge() {
    }

    static Result of(Collection<Map.Entry<VrfOrigin, VrfBindings>> sources) {
        Set<String> vrfs = new HashSet<>();
        Map<String, String> fromKernel = new HashMap<>();
        Map<String, String> fromConfigDb = new HashMap<>();
        Map<String, Integer> tables = new HashMap<>();
        for (Map.Entry<VrfOrigin, VrfBindings> s : sources) {
            vrfs.addAll(s.getValue().vrfs());
            tables.putAll(s.getValue().tables());
            (s.getKey() == VrfOrigin.CONFIG_DB ? fromConfigDb : fromKernel).putAll(s.getValue().interfaces());
        }
        Map<String, String> bound = new HashMap<>(fromKernel);
        Map<String, String> disagreements = new TreeMap<>();
        for (Map.Entry<String, String> e : fromConfigDb.entrySet()) {
            String kernel = bound.put(e.getKey(), e.getValue());
            if (kernel != null && !kernel.equals(e.getValue())) {
                disagreements.put(e.getKey(), e.getValue() + " / " + kernel);
            }
        }
        return new Result(VrfBindings.of(vrfs, bound, tables), disagreements);
    }
}
