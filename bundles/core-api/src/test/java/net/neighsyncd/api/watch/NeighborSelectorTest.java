package net.neighsyncd.api.watch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void passesADeleteByItsKeyWhateverTheMacPrefix() {
        NeighborSelector s = new NeighborSelector("Ethernet8", null, "Vrf1", "ff", null);
        assertTrue(s.accepts(new AppliedChange(1, NeighborChange.delete(KEY), "Vrf1", null)));
        assertFalse(s.accepts(new AppliedChange(1, NeighborChange.delete(KEY), "default", null)));
        assertFalse(s.accepts(new AppliedChange(2, NeighborChange.set(new NeighborRecord(KEY, MAC)), "Vrf1", null)));
    }

    @Test
    void filtersSnapshotsByStateButNotChanges() {
        NeighborSelector s = new NeighborSelector(null, null, null, null, NudCategory.STALE);
        assertFalse(s.accepts(KEY, MAC, "default", NudCategory.REACHABLE));
        assertTrue(s.accepts(new AppliedChange(1, NeighborChange.set(new NeighborRecord(KEY, MAC)), "default",
                NudCategory.REACHABLE)));
    }
}
