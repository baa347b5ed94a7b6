package net.neighsyncd.api.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import org.junit.jupiter.api.Test;

class NeighborSelectorTest {
    private static final NeighborKey KEY = NeighborKey.parse("Ethernet8:10.0.0.1");
    private static final MacAddress MAC = MacAddress.parse("0a:1b:2c:3d:4e:5f");

    @Test
    void matchesAMacPrefixInAnyCase() {
        NeighborSelector s = new NeighborSelector(null, null, null, "0A:1B:2", null);
        assertTrue(s.accepts(KEY, MAC, "default", NudCategory.REACHABLE));
        assertFalse(new NeighborSelector(null, null, null, "0a:1c", null).accepts(KEY, MAC, "default", null));
    }

    @Test
    void refusesWhatCannotStartAMac() {
        assertThrows(IllegalArgumentException.class, () -> new NeighborSelector(null, null, null, "0g", null));
        assertThrows(IllegalArgumentException.class, () -> new NeighborSelector(null, null, null, "012", null));
        assertThrows(IllegalArgumentException.class,
                () -> new NeighborSelector(null, null, null, "0a:1b:2c:3d:4e:5f:00", null));
    }

    @Test
    void passesADeleteOfAKeyOnItsInterfacesWhateverItsVrfOrMac() {
        NeighborSelector s = new NeighborSelector("Ethernet8", null, "Vrf1", "ff", null);
        NeighborChange delete = NeighborChange.delete(KEY);
        assertEquals(Optional.of(delete), s.seenAs(new AppliedChange(1, delete, "Vrf2", null)));
        assertEquals(Optional.empty(), new NeighborSelector("Ethernet9", null, null, null, null)
                .seenAs(new AppliedChange(1, delete, "default", null)));
    }

    @Test
    void turnsASetItNoLongerAcceptsIntoADeleteOfItsKey() {
        // a follower by MAC prefix saw the key with a MAC it accepts; the MAC changes
        NeighborSelector s = new NeighborSelector(null, null, null, "0a:1b", null);
        NeighborChange moved = NeighborChange.set(new NeighborRecord(KEY, MacAddress.parse("02:00:00:00:00:01")));
        assertEquals(Optional.of(NeighborChange.delete(KEY)), s.seenAs(new AppliedChange(2, moved, "default", null)));
        NeighborChange set = NeighborChange.set(new NeighborRecord(KEY, MAC));
        assertEquals(Optional.of(set), s.seenAs(new AppliedChange(3, set, "default", null)));
    }

    @Test
    void filtersSnapshotsByStateButNotChanges() {
        NeighborSelector s = new NeighborSelector(null, null, null, null, NudCategory.STALE);
        assertFalse(s.accepts(KEY, MAC, "default", NudCategory.REACHABLE));
        NeighborChange set = NeighborChange.set(new NeighborRecord(KEY, MAC));
        assertEquals(Optional.of(set), s.seenAs(new AppliedChange(1, set, "default", NudCategory.REACHABLE)));
    }

    @Test
    void searchesTheKeyAndTheMacForTheTextInAnyCase() {
        NeighborSelector byIp = new NeighborSelector(null, null, null, null, null, " 8:10.0 ");
        NeighborSelector byMac = new NeighborSelector(null, null, null, null, null, "3D:4E");
        NeighborSelector neither = new NeighborSelector(null, null, null, null, null, "Ethernet12");
        assertTrue(byIp.accepts(KEY, MAC, "default", null));
        assertTrue(byMac.accepts(KEY, MAC, "default", null));
        assertFalse(neither.accepts(KEY, MAC, "default", null));
        assertEquals(NeighborSelector.ALL, new NeighborSelector(null, null, null, null, null, "  "));
        assertThrows(IllegalArgumentException.class,
                () -> new NeighborSelector(null, null, null, null, null, "x".repeat(NeighborSelector.MAX_TEXT + 1)));
    }

    @Test
    void turnsASetWhoseMacNoLongerHoldsTheTextIntoADelete() {
        NeighborSelector s = new NeighborSelector(null, null, null, null, null, "4e:5f");
        NeighborChange moved = NeighborChange.set(new NeighborRecord(KEY, MacAddress.parse("02:00:00:00:00:01")));
        assertEquals(Optional.of(NeighborChange.delete(KEY)), s.seenAs(new AppliedChange(2, moved, "default", null)));
        NeighborChange set = NeighborChange.set(new NeighborRecord(KEY, MAC));
        assertEquals(Optional.of(set), s.seenAs(new AppliedChange(3, set, "default", null)));
    }
}
