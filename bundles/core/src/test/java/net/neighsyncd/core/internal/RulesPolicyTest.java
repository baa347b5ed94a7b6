package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.api.engine.SwitchModes;
import org.junit.jupiter.api.Test;

/** The operator's policy on top of SONiC's rules. */
class RulesPolicyTest {
    private static final SwitchModes NOTHING_IN_CONFIG_DB = SwitchModes.DEFAULT;
    private static final SwitchModes PEER_SWITCH_AND_LL_ON_ETHERNET0 = new SwitchModes(true, Set.of("Ethernet0"));

    private static String verdict(String ifname, String ip, int state, SwitchModes modes, RulesPolicy policy) {
        IpAddress a = IpAddress.parse(ip);
        NeighborMessage m = new NeighborMessage(false, a.family().addressFamily(), 7, ifname, a,
                state == NudState.FAILED ? null : MacAddress.parse("02:00:00:00:00:01"), state, 0);
        return NeighborRules.evaluate(m, modes, policy).toString().replaceAll(" Ethernet.*", "").replaceAll(" Vlan.*", "");
    }

    private static RulesPolicy policy(RulesPolicy.Mode dualTor, RulesPolicy.LinkLocal linkLocal) {
        return new RulesPolicy(dualTor, linkLocal, null, EnumSet.allOf(Family.class));
    }

    @Test
    void forcedDualTorDropsIpv4LinkLocalWithoutPeerSwitch() {
        assertEquals("IGNORE ipv4_link_local_dual_tor", verdict("Ethernet0", "169.254.0.1", NudState.PERMANENT,
                NOTHING_IN_CONFIG_DB, policy(RulesPolicy.Mode.ON, RulesPolicy.LinkLocal.AUTO)));
        assertEquals("SET", verdict("Ethernet0", "10.0.0.1", NudState.FAILED, NOTHING_IN_CONFIG_DB,
                policy(RulesPolicy.Mode.ON, RulesPolicy.LinkLocal.AUTO)));
    }

    @Test
    void dualTorForcedOffKeepsIpv4LinkLocalDespitePeerSwitch() {
        assertEquals("SET", verdict("Ethernet0", "169.254.0.1", NudState.PERMANENT, PEER_SWITCH_AND_LL_ON_ETHERNET0,
                policy(RulesPolicy.Mode.OFF, RulesPolicy.LinkLocal.AUTO)));
        assertEquals("DELETE", verdict("Ethernet0", "10.0.0.1", NudState.FAILED, PEER_SWITCH_AND_LL_ON_ETHERNET0,
                policy(RulesPolicy.Mode.OFF, RulesPolicy.LinkLocal.AUTO)));
    }

    @Test
    void linkLocalAlwaysSyncsFe80OnEveryInterface() {
        assertEquals("SET", verdict("Vlan1000", "fe80::1", NudState.REACHABLE, NOTHING_IN_CONFIG_DB,
                policy(RulesPolicy.Mode.AUTO, RulesPolicy.LinkLocal.ALWAYS)));
    }

    @Test
    void linkLocalNeverDropsFe80EvenWhereConfigDbEnablesIt() {
        assertEquals("IGNORE ipv6_link_local", verdict("Ethernet0", "fe80::1", NudState.REACHABLE,
                PEER_SWITCH_AND_LL_ON_ETHERNET0, policy(RulesPolicy.Mode.AUTO, RulesPolicy.LinkLocal.NEVER)));
    }

    @Test
    void ignoresInterfacesWhoseWholeNameMatches() {
        RulesPolicy p = new RulesPolicy(RulesPolicy.Mode.AUTO, RulesPolicy.LinkLocal.AUTO,
                Pattern.compile("eth0|docker\\d+"), EnumSet.allOf(Family.class));
        assertEquals("DELETE interface_ignored", verdict("docker0", "10.0.0.1", NudState.PERMANENT,
                NOTHING_IN_CONFIG_DB, p));
        assertEquals("SET", verdict("Ethernet0", "10.0.0.1", NudState.PERMANENT, NOTHING_IN_CONFIG_DB, p));
    }

    @Test
    void dropsFamiliesThatAreNotSynced() {
        RulesPolicy v4only = new RulesPolicy(RulesPolicy.Mode.AUTO, RulesPolicy.LinkLocal.AUTO, null,
                EnumSet.of(Family.IPV4));
        assertEquals("DELETE family_disabled", verdict("Ethernet0", "fc00::1", NudState.PERMANENT,
                NOTHING_IN_CONFIG_DB, v4only));
        assertEquals("SET", verdict("Ethernet0", "10.0.0.1", NudState.PERMANENT, NOTHING_IN_CONFIG_DB, v4only));
    }
}
