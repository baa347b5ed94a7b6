package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.SwitchModes;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfPolicy;
import net.neighsyncd.api.vrf.VrfPolicySource;
import org.junit.jupiter.api.Test;

/** The rules under a VRF's policy, and the view re-deriving its entries when a VRF's policy or an interface's VRF changes. */
class VrfPolicyRulesTest {
    private static final VrfPolicy NOT_SYNCED = new VrfPolicy(false, EnumSet.allOf(Family.class),
            VrfPolicy.LinkLocal.INHERIT);
    private static final VrfPolicy IPV4_ONLY = new VrfPolicy(true, EnumSet.of(Family.IPV4), VrfPolicy.LinkLocal.INHERIT);
    private static final VrfPolicy LINK_LOCAL = new VrfPolicy(true, EnumSet.allOf(Family.class),
            VrfPolicy.LinkLocal.ALWAYS);

    private static NeighborMessage neigh(String ifname, String ip, String mac) {
        IpAddress a = IpAddress.parse(ip);
        return new NeighborMessage(false, a.family().addressFamily(), 3, ifname, a, MacAddress.parse(mac),
                NudState.REACHABLE, 0);
    }

    private static Verdict evaluate(NeighborMessage m, VrfPolicy vrf) {
        return NeighborRules.evaluate(m, null, SwitchModes.DEFAULT, RulesPolicy.SONIC, vrf);
    }

    private static VrfPolicySource policies(Map<String, VrfPolicy> byVrf) {
        return new VrfPolicySource() {
            @Override
            public VrfPolicy policyOf(String vrf) {
                return byVrf.getOrDefault(vrf, VrfPolicy.SYNC_ALL);
            }

            @Override
            public AutoCloseable watch(Consumer<VrfPolicySource> listener) {
                return () -> { };
            }
        };
    }

    @Test
    void aVrfNotSyncedDeletesItsEntriesWithTheirOwnReason() {
        Verdict v = evaluate(neigh("Ethernet0", "10.0.0.1", "02:00:00:00:00:01"), NOT_SYNCED);
        assertEquals(Verdict.Kind.DELETE, v.kind());
        assertEquals(DropReason.VRF_NOT_SYNCED, v.reason());
    }

    @Test
    void aFamilyTheVrfDoesNotSyncIsDisabled() {
        assertEquals(DropReason.FAMILY_DISABLED, evaluate(neigh("Ethernet0", "2001:db8::1", "02:00:00:00:00:01"),
                IPV4_ONLY).reason());
        assertEquals(Verdict.Kind.SET, evaluate(neigh("Ethernet0", "10.0.0.1", "02:00:00:00:00:01"), IPV4_ONLY).kind());
    }

    @Test
    void linkLocalAlwaysSyncsFe80WhereSonicsRuleWouldDropIt() {
        NeighborMessage ll = neigh("Ethernet0", "fe80::1", "02:00:00:00:00:01");
        assertEquals(DropReason.IPV6_LINK_LOCAL, evaluate(ll, VrfPolicy.SYNC_ALL).reason());
        assertEquals(Verdict.Kind.SET, evaluate(ll, LINK_LOCAL).kind());
    }

    @Test
    void anInterfaceMovingToAVrfNotSyncedLosesOnlyItsOwnEntriesAndGetsThemBackWhenItMovesOut() {
        // given: two entries on Ethernet0, one on Ethernet4, all written; Vrf-off is not synced
        List<String> emitted = new java.util.ArrayList<>();
        NeighborView view = new NeighborView(c -> emitted.add(c.toString()), new EngineTally());
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "02:00:00:00:00:01"));
        view.onMessage(neigh("Ethernet0", "10.0.0.2", "02:00:00:00:00:02"));
        view.onMessage(neigh("Ethernet4", "10.0.4.1", "02:00:00:00:04:01"));
        VrfPolicySource off = policies(Map.of("Vrf-off", NOT_SYNCED));
        view.setVrfPolicies(VrfPolicyLookup.of(VrfBindings.NONE, off));
        emitted.clear();
        // when: Ethernet0 moves into Vrf-off
        VrfBindings moved = VrfBindings.of(Set.of("Vrf-off"), Map.of("Ethernet0", "Vrf-off"));
        view.setVrfPolicies(VrfPolicyLookup.of(moved, off));
        // then: its two entries are deleted, nothing else written
        assertEquals(Set.of("DEL Ethernet0:10.0.0.1", "DEL Ethernet0:10.0.0.2"), Set.copyOf(emitted));
        assertEquals(2, emitted.size());
        // when: it moves back out
        emitted.clear();
        view.setVrfPolicies(VrfPolicyLookup.of(VrfBindings.NONE, off));
        // then: they are set again, Ethernet4's untouched
        assertEquals(Set.of("SET Ethernet0:10.0.0.1 neigh=02:00:00:00:00:01 family=IPv4",
                "SET Ethernet0:10.0.0.2 neigh=02:00:00:00:00:02 family=IPv4"), Set.copyOf(emitted));
    }

    @Test
    void aMoveBetweenTwoVrfsOfTheSamePolicyNeedsNoNewDerivation() {
        VrfPolicySource p = policies(Map.of("Vrf-a", IPV4_ONLY, "Vrf-b", IPV4_ONLY));
        VrfPolicyLookup inA = VrfPolicyLookup.of(VrfBindings.of(Set.of("Vrf-a", "Vrf-b"), Map.of("Ethernet0", "Vrf-a")), p);
        VrfPolicyLookup inB = VrfPolicyLookup.of(VrfBindings.of(Set.of("Vrf-a", "Vrf-b"), Map.of("Ethernet0", "Vrf-b")), p);
        VrfPolicyLookup inNone = VrfPolicyLookup.of(VrfBindings.of(Set.of("Vrf-a", "Vrf-b"), Map.of()), p);
        assertEquals(true, inA.sameAs(inB));
        assertEquals(false, inA.sameAs(inNone));
    }
}
