package net.neighsyncd.api.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import net.neighsyncd.api.neighbor.NeighborKey;
import org.junit.jupiter.api.Test;

class NeighborOrderTest {

    private static List<String> sorted(String... keys) {
        List<NeighborKey> out = new ArrayList<>();
        for (String k : keys) {
            out.add(NeighborKey.parse(k));
        }
        out.sort(NeighborOrder.KEYS);
        return out.stream().map(NeighborKey::toString).toList();
    }

    @Test
    void ordersInterfaceNumbersAsNumbers() {
        assertEquals(List.of("Ethernet2:10.0.0.1", "Ethernet10:10.0.0.1", "Ethernet100:10.0.0.1"),
                sorted("Ethernet100:10.0.0.1", "Ethernet10:10.0.0.1", "Ethernet2:10.0.0.1"));
    }

    @Test
    void ordersSubInterfacesAfterTheirPort() {
        assertEquals(List.of("Ethernet4:10.0.0.1", "Ethernet4.9:10.0.0.1", "Ethernet4.10:10.0.0.1",
                "Ethernet12:10.0.0.1"),
                sorted("Ethernet12:10.0.0.1", "Ethernet4.10:10.0.0.1", "Ethernet4:10.0.0.1", "Ethernet4.9:10.0.0.1"));
    }

    @Test
    void ordersIpv4BeforeIpv6AndAddressesAsNumbers() {
        assertEquals(List.of("Vlan1000:10.0.0.9", "Vlan1000:10.0.0.10", "Vlan1000:fc00::2", "Vlan1000:fc00::10"),
                sorted("Vlan1000:fc00::10", "Vlan1000:10.0.0.10", "Vlan1000:fc00::2", "Vlan1000:10.0.0.9"));
    }

    @Test
    void ordersAddressesWithTheHighBitSetAfterTheOthers() {
        assertEquals(List.of("Vlan1:10.0.0.1", "Vlan1:200.0.0.1"), sorted("Vlan1:200.0.0.1", "Vlan1:10.0.0.1"));
    }

    @Test
    void tellsNamesThatDifferOnlyInLeadingZerosApart() {
        assertNotEquals(0, NeighborOrder.compareNames("Ethernet01", "Ethernet1"));
        assertEquals(-NeighborOrder.compareNames("Ethernet01", "Ethernet1"),
                NeighborOrder.compareNames("Ethernet1", "Ethernet01"));
    }
}
