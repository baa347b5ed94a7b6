package net.neighsyncd.api.vrf;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one source says of VRFs: the VRFs it knows and the interfaces bound to each. An interface
 * it does not bind is in the default VRF as far as it knows. Immutable.
 */
public final class VrfBindings {
    /** The name of the default VRF, as SONiC's CLI shows it. */
    public static final String DEFAULT_VRF = "default";

    /** No VRF and no binding. */
    public static final VrfBindings NONE = new VrfBindings(Set.of(), Map.of(), Map.of());

    private final Set<String> vrfs;
    private final Map<String, String> interfaces;
    private final Map<String, Integer> tables;

    private VrfBindings(Set<String> vrfs, Map<String, String> interfaces, Map<String, Integer> tables) {
        this.vrfs = vrfs;
        this.interfaces = interfaces;
        this.tables = tables;
    }

    /**
     * @param vrfs       the VRFs the source knows (a binding to a VRF not among them is kept: a
     *                   source may report the binding before the VRF)
     * @param interfaces interface name to the name of the VRF it is bound to ({@link #DEFAULT_VRF}:
     *                   the source says the interface is in the default VRF)
     * @throws IllegalArgumentException for a blank name
     */
    public static VrfBindings of(Set<String> vrfs, Map<String, String> interfaces) {
        return of(vrfs, interfaces, Map.of());
    }

    /**
     * As {@link #of(Set, Map)}, with the routing table of each VRF where the source knows it (the
     * kernel's {@code IFLA_VRF_TABLE}).
     *
     * @throws IllegalArgumentException for a blank name, or a table id that is not positive
     * @since 1.1
     */
    public static VrfBindings of(Set<String> vrfs, Map<String, String> interfaces, Map<String, Integer> tables) {
        for (Map.Entry<String, Integer> t : tables.entrySet()) {
            requireName(t.getKey(), "VRF");
            if (t.getValue() == null || t.getValue() <= 0) {
                throw new IllegalArgumentException("VRF " + t.getKey() + " has table id " + t.getValue());
            }
        }
        for (String v : vrfs) {
            requireName(v, "VRF");
        }
        for (Map.Entry<String, String> e : interfaces.entrySet()) {
            requireName(e.getKey(), "interface");
            requireName(e.getValue(), "VRF");
        }
        return new VrfBindings(Set.copyOf(vrfs), Map.copyOf(interfaces), Map.copyOf(tables));
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a blank " + what + " name");
        }
    }

    /** The VRFs the source knows. */
    public Set<String> vrfs() {
        return vrfs;
    }

    /** Interface name to its VRF, for every interface the source binds. */
    public Map<String, String> interfaces() {
        return interfaces;
    }

    /**
     * The routing table of each VRF whose table the source knows.
     *
     * @since 1.1
     */
    public Map<String, Integer> tables() {
        return tables;
    }

    /** Whether the source says which VRF {@code ifname} is in (the default one included). */
    public boolean binds(String ifname) {
        return interfaces.containsKey(ifname);
    }

    /** The VRF of {@code ifname}; {@link #DEFAULT_VRF} when the source binds it to none. */
    public String vrfOf(String ifname) {
        return interfaces.getOrDefault(ifname, DEFAULT_VRF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VrfBindings && ((VrfBindings) o).vrfs.equals(vrfs)
                && ((VrfBindings) o).interfaces.equals(interfaces) && ((VrfBindings) o).tables.equals(tables);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vrfs, interfaces, tables);
    }

    /** Sorted, for logs: {@code vrfs [Vrf-red] bound {Ethernet0=Vrf-red}}. */
    @Override
    public String toString() {
        return "vrfs " + new TreeSet<>(vrfs) + " bound " + new TreeMap<>(interfaces)
                + (tables.isEmpty() ? "" : " tables " + new TreeMap<>(tables));
    }
}
