package net.neighsyncd.api.vrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VrfBindingsTest {

    @Test
    void anInterfaceNotBoundIsInTheDefaultVrf() {
        // given
        VrfBindings b = VrfBindings.of(Set.of("Vrf-red"), Map.of("Ethernet0", "Vrf-red"));
        // then
        assertEquals("Vrf-red", b.vrfOf("Ethernet0"));
        assertEquals(VrfBindings.DEFAULT_VRF, b.vrfOf("Ethernet4"));
        assertTrue(b.binds("Ethernet0"));
        assertFalse(b.binds("Ethernet4"));
    }

    @Test
    void keepsNoReferenceToTheMapsItWasGiven() {
        // given
        Map<String, String> bound = new HashMap<>(Map.of("Ethernet0", "Vrf-red"));
        VrfBindings b = VrfBindings.of(Set.of("Vrf-red"), bound);
        // when
        bound.put("Ethernet4", "Vrf-red");
        // then
        assertFalse(b.binds("Ethernet4"));
    }

    @Test
    void refusesABlankName() {
        assertThrows(IllegalArgumentException.class, () -> VrfBindings.of(Set.of(" "), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> VrfBindings.of(Set.of(), Map.of("Ethernet0", "")));
    }

    @Test
    void equalBindingsAreEqualAndPrintSorted() {
        VrfBindings a = VrfBindings.of(Set.of("Vrf-b", "Vrf-a"), Map.of("Ethernet4", "Vrf-b", "Ethernet0", "Vrf-a"));
        VrfBindings b = VrfBindings.of(Set.of("Vrf-a", "Vrf-b"), Map.of("Ethernet0", "Vrf-a", "Ethernet4", "Vrf-b"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("vrfs [Vrf-a, Vrf-b] bound {Ethernet0=Vrf-a, Ethernet4=Vrf-b}", a.toString());
    }
}
