package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How a warm start sorts the store's unreadable keys: those a kernel message can spell, and the rest. */
class StartCoordinatorTest {

    @Test
    void takesOnlyCanonicalNeighborKeysAsNeighborKeys() {
        // given / when / then: a canonical key is a neighbor key, whose deletes go through the writer
        assertEquals("Ethernet0:fc00::1", StartCoordinator.canonicalKey("Ethernet0:fc00::1").toString());
        assertEquals("Vlan1000:10.0.0.1", StartCoordinator.canonicalKey("Vlan1000:10.0.0.1").toString());
        // and any other spelling is not, since no kernel message produces it
        assertNull(StartCoordinator.canonicalKey("Ethernet0:FC00::1"));
        assertNull(StartCoordinator.canonicalKey("Ethernet0:fc00:0::1"));
        assertNull(StartCoordinator.canonicalKey("garbage"));
        assertNull(StartCoordinator.canonicalKey("Ethernet0:10.0.0.256"));
    }
}
