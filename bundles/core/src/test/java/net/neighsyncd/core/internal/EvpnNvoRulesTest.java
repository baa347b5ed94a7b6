package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.neighsyncd.api.IpAddress;
import net.neighsyncd.api.MacAddress;
import net.neighsyncd.api.NeighborChange;
import net.neighsyncd.api.NeighborFlags;
import net.neighsyncd.api.NeighborMessage;
import net.neighsyncd.api.NudState;
import net.neighsyncd.api.SwitchModes;
import org.junit.jupiter.api.Test;

/** The EVPN VXLAN NVO variant of sonic-contract §4 (CONFIG_DB has a VXLAN_EVPN_NVO key). */
class EvpnNvoRulesTest {
    private static final SwitchModes EVPN = new SwitchModes(false, Set.of(), true);

    private static NeighborMessage msg(String ifname, String master, String ip, int state, int flags) {
        IpAddress a = IpAddress.parse(ip);
        return new NeighborMessage(false, a.family().addressFamily(), 4, ifname, a,
                MacAddress.parse("02:00:00:00:00:01"), state, flags, master);
    }

    @Test
    void ignoresProbeMessagesOnlyOnAnEvpnSwitch() {
        assertEquals("DROP probe_evpn", NeighborRules.evaluate(msg("Vlan10", null, "10.0.0.1", NudState.PROBE, 0), EVPN)
                .toString());
        assertEquals("SET", NeighborRules.evaluate(msg("Vlan10", null, "10.0.0.1", NudState.PROBE, 0),
                SwitchModes.DEFAULT).toString().substring(0, 3));
    }

    @Test
    void deletesNoarpWithoutExternLearnInsteadOfIgnoringIt() {
        assertEquals("DELETE", NeighborRules.evaluate(msg("Vlan10", null, "10.0.0.1", NudState.NOARP, 0), EVPN)
                .toString());
        assertEquals("SET", NeighborRules.evaluate(msg("Vlan10", null, "10.0.0.1", NudState.NOARP,
                NeighborFlags.EXT_LEARNED), EVPN).toString().substring(0, 3));
    }

    @Test
    void removesTheHostRouteBeforeSettingANeighborInAVrf() {
        // given
        List<NeighborChange> out = new ArrayList<>();
        NeighborView view = new NeighborView(out::add, new Counters());
        view.setModes(EVPN);
        // when
        view.onMessage(msg("Vlan10", "Vrf1", "10.0.0.1", NudState.REACHABLE, 0));
        view.onMessage(msg("Vlan20", "Bridge", "10.0.0.2", NudState.REACHABLE, 0));
        // then
        assertEquals("Vrf1", out.get(0).hostRouteVrf());
        assertEquals(null, out.get(1).hostRouteVrf());
    }

    @Test
    void keepsHostRoutesWithoutEvpn() {
        List<NeighborChange> out = new ArrayList<>();
        NeighborView view = new NeighborView(out::add, new Counters());
        view.onMessage(msg("Vlan10", "Vrf1", "10.0.0.1", NudState.REACHABLE, 0));
        assertEquals(null, out.get(0).hostRouteVrf());
    }
}
