package net.neighsyncd.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.BadRequestException;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.WatchPosition;
import org.junit.jupiter.api.Test;

class NeighborQueryParamsTest {

    @Test
    void readsEveryFilterInAnyCase() {
        NeighborSelector s = NeighborQueryParams.selector("Ethernet4", "ipv6", "Vrf1", "0A:", "Reachable");
        assertEquals(new NeighborSelector("Ethernet4", Family.IPV6, "Vrf1", "0a:", NudCategory.REACHABLE), s);
        assertEquals(NeighborSelector.ALL, NeighborQueryParams.selector(null, "", " ", null, null));
    }

    @Test
    void namesTheParameterABadValueIsIn() {
        assertTrue(message(() -> NeighborQueryParams.selector(null, "IPv5", null, null, null)).startsWith("family:"));
        assertTrue(message(() -> NeighborQueryParams.selector(null, null, null, "xy", null)).startsWith("mac:"));
        assertTrue(message(() -> NeighborQueryParams.selector(null, null, null, null, "happy")).startsWith("state:"));
        assertTrue(message(() -> NeighborQueryParams.selector("a b", null, null, null, null))
                .startsWith("interface:"));
        assertTrue(message(() -> NeighborQueryParams.limit(0, 1000)).startsWith("limit:"));
        assertTrue(message(() -> NeighborQueryParams.key("Ethernet0", "10.0.0.256")).startsWith("ip:"));
        assertTrue(message(() -> NeighborQueryParams.key("../etc", "10.0.0.1")).startsWith("ifname:"));
        assertTrue(message(() -> NeighborQueryParams.cursor("%%%")).startsWith("cursor:"));
    }

    @Test
    void aCursorStandsForTheLastKeyOfAPage() {
        NeighborKey k = NeighborKey.parse("Ethernet8:fc00::1");
        assertEquals(k, NeighborQueryParams.cursor(NeighborQueryParams.cursorAfter(k)));
        assertNull(NeighborQueryParams.cursor(null));
    }

    @Test
    void aLastEventIdIsAHistoryAndARevision() {
        WatchPosition p = new WatchPosition("2f0c2b1e-0000-4000-8000-000000000000", 42);
        assertEquals(p, StreamEvents.position(StreamEvents.id(p)));
        assertNull(StreamEvents.position("42"));
        assertNull(StreamEvents.position("h:-1"));
        assertNull(StreamEvents.position("h:x"));
    }

    private static String message(Runnable r) {
        return assertThrows(BadRequestException.class, r::run).getMessage();
    }
}
