package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborFlags;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.api.engine.SwitchModes;
import org.junit.jupiter.api.Test;

/** The EVPN VXLAN NVO variant of docs/sonic-contract.md §4 (CONFIG_DB has a VXLAN_EVPN_NVO key). */
class EvpnNvoRulesTest {
    private static final SwitchModes EVPN = new SwitchModes(false, Set.of(), true);

    private static NeighborMessage msg(String ifname, String master, String ip, int state, int flags) {
        IpAddress a = IpAddress.parse(ip);
        return new NeighborMessage(false, a.family().addressFamily(), 4, ifname, a,
                MacAddress.parse("02:00:00:00:00:01"), state, flags, master);
    }

    private static NeighborMessage delete(String ifname, String master, String ip, int state) {
        IpAddress a = IpAddress.parse(ip);
        return new NeighborMessage(true, a.family().addressFamily(), 4, ifname, a,
                MacAddress.parse("02:00:00:00:00:01"), state, 0, master);
    }

    @Test
    void ignoresProbeMessagesOnlyOnAnEvpnSwitch() {
        assertEquals("IGNORE probe_evpn", NeighborRules.evaluate(msg("Vlan10", null, "10.0.0.1", NudState.PROBE, 0), EVPN)
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
        NeighborView view = new NeighborView(out::add, new EngineTally());
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
        NeighborView view = new NeighborView(out::add, new EngineTally());
        view.onMessage(msg("Vlan10", "Vrf1", "10.0.0.1", NudState.REACHABLE, 0));
        assertEquals(null, out.get(0).hostRouteVrf());
    }

    @Test
    void deletesANeighborRemovedWhileInProbe() {
        // given an EVPN switch; when the kernel deletes a neighbor whose last state was PROBE
        Verdict v = NeighborRules.evaluate(delete("Vlan10", null, "10.0.0.1", NudState.PROBE), EVPN);
        // then the PROBE rule, which SONiC applies to RTM_NEWNEIGH only, does not hide the delete
        assertEquals("DELETE", v.toString());
    }

    @Test
    void writesNothingWhenANeighborGoesToProbeAndBack() {
        // given an EVPN switch and a synced neighbor on a VLAN outside any VRF
        List<NeighborChange> out = new ArrayList<>();
        NeighborView view = new NeighborView(out::add, new EngineTally());
        view.setModes(EVPN);
        view.onMessage(msg("Vlan10", null, "10.0.0.1", NudState.REACHABLE, 0));
        out.clear();
        // when the kernel re-checks its reachability
        view.onMessage(msg("Vlan10", null, "10.0.0.1", NudState.PROBE, 0));
        view.onMessage(msg("Vlan10", null, "10.0.0.1", NudState.REACHABLE, 0));
        // then orchagent gets neither a delete nor a set
        assertEquals(List.of(), out);
    }

    @Test
    void removesTheHostRouteAgainAtEverySetOfAnUnchangedNeighborInAVrf() {
        // given an EVPN switch and a synced neighbor on a VLAN in Vrf1
        List<NeighborChange> out = new ArrayList<>();
        NeighborView view = new NeighborView(out::add, new EngineTally());
        view.setModes(EVPN);
        view.onMessage(msg("Vlan10", "Vrf1", "10.0.0.1", NudState.REACHABLE, 0));
        out.clear();
        // when it goes to PROBE (ignored) and back to REACHABLE with the same MAC
        view.onMessage(msg("Vlan10", "Vrf1", "10.0.0.1", NudState.PROBE, 0));
        view.onMessage(msg("Vlan10", "Vrf1", "10.0.0.1", NudState.REACHABLE, 0));
        // then the REACHABLE message removes the host route again with an identical set, as SONiC does
        assertEquals(1, out.size());
        assertEquals("Vrf1", out.get(0).hostRouteVrf());
        assertEquals("SET Vlan10:10.0.0.1 neigh=02:00:00:00:00:01 family=IPv4", out.get(0).toString());
    }

    @Test
    void keepsAProbingNeighborWhenTheRulesAreDerivedAgain() {
        // given an EVPN switch and a synced neighbor whose last message is a PROBE
        List<NeighborChange> out = new ArrayList<>();
        NeighborView view = new NeighborView(out::add, new EngineTally());
        view.setModes(EVPN);
        view.onMessage(msg("Vlan10", null, "10.0.0.1", NudState.REACHABLE, 0));
        view.onMessage(msg("Vlan10", null, "10.0.0.1", NudState.PROBE, 0));
        out.clear();
        // when a configuration change derives every entry again
        view.setPolicy(new RulesPolicy(RulesPolicy.Mode.AUTO, RulesPolicy.LinkLocal.AUTO,
                java.util.regex.Pattern.compile("Ethernet99"), Set.of(net.neighsyncd.api.neighbor.Family.IPV4,
                        net.neighsyncd.api.neighbor.Family.IPV6)));
        // then the entry stays as its last accepted message left it
        assertEquals(List.of(), out);
    }

    @Test
    void bringsAProbingNeighborBackFromItsLastAcceptedMessageWhenItsInterfaceIsSyncedAgain() {
        // given an EVPN switch, a neighbor last seen in PROBE, and its interface excluded by policy
        List<NeighborChange> out = new ArrayList<>();
        NeighborView view = new NeighborView(out::add, new EngineTally());
        view.setModes(EVPN);
        view.onMessage(msg("Vlan10", null, "10.0.0.1", NudState.REACHABLE, 0));
        view.onMessage(msg("Vlan10", null, "10.0.0.1", NudState.PROBE, 0));
        Set<net.neighsyncd.api.neighbor.Family> both = Set.of(net.neighsyncd.api.neighbor.Family.IPV4, net.neighsyncd.api.neighbor.Family.IPV6);
        view.setPolicy(new RulesPolicy(RulesPolicy.Mode.AUTO, RulesPolicy.LinkLocal.AUTO,
                java.util.regex.Pattern.compile("Vlan10"), both));
        out.clear();
        // when the interface is synced again
        view.setPolicy(new RulesPolicy(RulesPolicy.Mode.AUTO, RulesPolicy.LinkLocal.AUTO, null, both));
        // then the entry of its last accepted message (REACHABLE) is set again
        assertEquals(List.of("SET Vlan10:10.0.0.1 neigh=02:00:00:00:00:01 family=IPv4"),
                out.stream().map(NeighborChange::toString).toList());
    }
}
