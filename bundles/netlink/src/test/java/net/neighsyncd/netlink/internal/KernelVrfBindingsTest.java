package net.neighsyncd.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfOrigin;
import org.junit.jupiter.api.Test;

class KernelVrfBindingsTest {
    private final KernelVrfBindings source = new KernelVrfBindings("test");

    @Test
    void watchersHearOnlyWhatDiffersFromTheLastValue() throws Exception {
        // given
        List<VrfBindings> heard = new ArrayList<>();
        VrfBindings red = VrfBindings.of(Set.of("Vrf-red"), Map.of("Ethernet0", "Vrf-red"));
        try (AutoCloseable w = source.watch(heard::add)) {
            // when the reader tells the same cache twice, then an empty one
            source.accept(red);
            source.accept(VrfBindings.of(Set.of("Vrf-red"), Map.of("Ethernet0", "Vrf-red")));
            source.accept(VrfBindings.NONE);
        }
        // then
        assertEquals(List.of(red, VrfBindings.NONE), heard);
        assertEquals(VrfBindings.NONE, source.current());
        assertEquals(VrfOrigin.KERNEL, source.origin());
    }
}
