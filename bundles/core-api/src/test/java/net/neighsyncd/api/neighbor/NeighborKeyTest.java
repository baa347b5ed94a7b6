package net.neighsyncd.api.neighbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Keys as this daemon writes them, told apart from other spellings of the same neighbor. */
class NeighborKeyTest {

    @Test
    void canonicalTakesOnlyKeysSpelledAsThisDaemonWritesThem() {
        // given / when / then: a canonical key is a neighbor key
        assertEquals("Ethernet0:fc00::1", NeighborKey.canonical("Ethernet0:fc00::1").orElseThrow().toString());
        assertEquals("Vlan1000:10.0.0.1", NeighborKey.canonical("Vlan1000:10.0.0.1").orElseThrow().toString());
        // and any other spelling is not, parsable or not, since no kernel message produces it
        assertTrue(NeighborKey.canonical("Ethernet0:FC00::1").isEmpty());
        assertTrue(NeighborKey.canonical("Ethernet0:fc00:0::1").isEmpty());
        assertTrue(NeighborKey.canonical("garbage").isEmpty());
        assertTrue(NeighborKey.canonical("Ethernet0:10.0.0.256").isEmpty());
    }
}
