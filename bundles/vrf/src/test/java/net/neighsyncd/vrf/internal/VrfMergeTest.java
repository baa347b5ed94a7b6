package net.neighsyncd.vrf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfOrigin;
import org.junit.jupiter.api.Test;

class VrfMergeTest {
    private static final VrfBindings CONFIG_DB = VrfBindings.of(Set.of("Vrf-red", "Vrf-blue"),
            Map.of("Ethernet0", "Vrf-red", "Vlan1000", "Vrf-blue"));
    private static final VrfBindings KERNEL = VrfBindings.of(Set.of("Vrf-red", "Vrf-green"),
            Map.of("Ethernet0", "Vrf-green", "Ethernet4", "Vrf-green"));

    @Test
    void configDbsBindingWinsWhereBothBindAnInterface() {
        // when
        VrfMerge.Result r = VrfMerge.of(List.of(Map.entry(VrfOrigin.KERNEL, KERNEL),
                Map.entry(VrfOrigin.CONFIG_DB, CONFIG_DB)));
        // then
        assertEquals("Vrf-red", r.bindings().vrfOf("Ethernet0"));
        assertEquals(Map.of("Ethernet0", "Vrf-red / Vrf-green"), r.disagreements());
    }

    @Test
    void theKernelFillsTheInterfacesConfigDbDoesNotBindAndEveryVrfCounts() {
        // when, whichever order the sources came in
        VrfMerge.Result r = VrfMerge.of(List.of(Map.entry(VrfOrigin.CONFIG_DB, CONFIG_DB),
                Map.entry(VrfOrigin.KERNEL, KERNEL)));
        // then
        assertEquals(VrfBindings.of(Set.of("Vrf-red", "Vrf-blue", "Vrf-green"),
                Map.of("Ethernet0", "Vrf-red", "Vlan1000", "Vrf-blue", "Ethernet4", "Vrf-green")), r.bindings());
    }

    @Test
    void noSourceMeansNoVrf() {
        assertEquals(VrfBindings.NONE, VrfMerge.of(List.of()).bindings());
    }
}
