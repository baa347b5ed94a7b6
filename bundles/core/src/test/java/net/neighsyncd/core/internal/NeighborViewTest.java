package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.engine.NeighborFilter;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.api.engine.SwitchModes;
import org.junit.jupiter.api.Test;

/** The diff between desired and applied: what is emitted, and what is not. */
class NeighborViewTest {
    private final List<String> emitted = new ArrayList<>();
    private final EngineTally counters = new EngineTally();
    private final NeighborView view = new NeighborView(c -> emitted.add(c.toString()), counters);

    private static NeighborMessage neigh(String ifname, String ip, String mac, int state) {
        IpAddress a = IpAddress.parse(ip);
        return new NeighborMessage(false, a.family().addressFamily(), 3, ifname, a,
                mac == null ? null : MacAddress.parse(mac), state, 0);
    }

    private static NeighborMessage del(String ifname, String ip) {
        IpAddress a = IpAddress.parse(ip);
        return new NeighborMessage(true, a.family().addressFamily(), 3, ifname, a, null, NudState.REACHABLE, 0);
    }

    @Test
    void givenSixteenKernelMessagesWhenTakenThenTheSixteenthHasItsRulesAndItsDiffTimed() {
        // when
        for (int i = 1; i <= 15; i++) {
            view.onMessage(neigh("Ethernet0", "10.0.0." + i, "00:00:00:00:00:01", NudState.REACHABLE));
        }
        assertEquals(0, counters.stages().get(0).count(), "fifteen messages: none timed yet");
        view.onMessage(neigh("Ethernet0", "10.0.0.16", "00:00:00:00:00:01", NudState.REACHABLE));
        // then
        net.neighsyncd.api.profiling.StageHistogram rules = counters.stages().get(0);
        net.neighsyncd.api.profiling.StageHistogram diff = counters.stages().get(1);
        assertEquals(net.neighsyncd.api.profiling.Stage.RULES, rules.stage());
        assertEquals(net.neighsyncd.api.profiling.Stage.DIFF, diff.stage());
        assertEquals(1, rules.count());
        assertEquals(1, diff.count());
        assertEquals(EngineTally.MESSAGE_SAMPLE_EVERY, rules.sampleEvery());
        assertEquals(16, emitted.size());
    }

    @Test
    void writesSetForNewNeighbor() {
        // when
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.REACHABLE));
        // then
        assertEquals(List.of("SET Ethernet0:10.0.0.1 neigh=00:00:00:00:00:01 family=IPv4"), emitted);
    }

    @Test
    void writesNothingWhenOnlyTheStateChanges() {
        // given
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.REACHABLE));
        emitted.clear();
        // when
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.STALE));
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.DELAY));
        // then
        assertEquals(List.of(), emitted);
    }

    @Test
    void writesSetWhenTheMacChanges() {
        // given
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.REACHABLE));
        emitted.clear();
        // when
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:02", NudState.REACHABLE));
        // then
        assertEquals(List.of("SET Ethernet0:10.0.0.1 neigh=00:00:00:00:00:02 family=IPv4"), emitted);
    }

    @Test
    void deletesEntryWhenKernelReportsFailed() {
        // given
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.REACHABLE));
        emitted.clear();
        // when
        view.onMessage(neigh("Ethernet0", "10.0.0.1", null, NudState.FAILED));
        // then
        assertEquals(List.of("DEL Ethernet0:10.0.0.1"), emitted);
    }

    @Test
    void writesNothingForDeleteOfUnknownKey() {
        // when
        view.onMessage(del("Ethernet0", "10.0.0.9"));
        view.onMessage(neigh("Ethernet0", "10.0.0.9", null, NudState.INCOMPLETE));
        // then
        assertEquals(List.of(), emitted);
    }

    @Test
    void countsEachDroppedMessageByReason() {
        // when
        view.onMessage(neigh("Ethernet0", "fe80::1", "00:00:00:00:00:01", NudState.REACHABLE));
        view.onMessage(neigh("Ethernet0", "fe80::2", "00:00:00:00:00:01", NudState.REACHABLE));
        view.onMessage(neigh("Ethernet0", "10.0.0.5", "ff:ff:ff:ff:ff:ff", NudState.PERMANENT));
        // then
        assertEquals(2, counters.snapshot().dropped(DropReason.IPV6_LINK_LOCAL));
        assertEquals(1, counters.snapshot().dropped(DropReason.MAC_BROADCAST));
        assertEquals(List.of(), emitted);
    }

    @Test
    void sweepsNeighborsMissingFromACompletedDump() {
        // given
        view.onDumpStarted();
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.PERMANENT));
        view.onMessage(neigh("Ethernet0", "10.0.0.2", "00:00:00:00:00:02", NudState.PERMANENT));
        view.onDumpCompleted();
        emitted.clear();
        // when: a second dump no longer reports 10.0.0.2
        view.onDumpStarted();
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.REACHABLE));
        view.onDumpCompleted();
        // then
        assertEquals(List.of("DEL Ethernet0:10.0.0.2"), emitted);
        assertEquals(1, view.kernelSize());
        assertEquals(java.util.Map.of(net.neighsyncd.api.neighbor.Family.IPV4, 1, net.neighsyncd.api.neighbor.Family.IPV6, 0),
                view.kernelSizeByFamily());
    }

    @Test
    void keepsNeighborsAddedLiveDuringADump() {
        // given
        view.onDumpStarted();
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.PERMANENT));
        // when: a live event arrives before the dump completes
        view.onMessage(neigh("Ethernet4", "10.0.1.1", "00:00:00:00:00:03", NudState.REACHABLE));
        view.onDumpCompleted();
        // then
        assertEquals(2, view.appliedSize());
    }

    @Test
    void deletesEveryNeighborOfARemovedLink() {
        // given
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.PERMANENT));
        view.onMessage(neigh("Ethernet0", "fc00::1", "00:00:00:00:00:01", NudState.PERMANENT));
        view.onMessage(neigh("Ethernet4", "10.0.1.1", "00:00:00:00:00:03", NudState.PERMANENT));
        emitted.clear();
        // when
        view.onLinkRemoved("Ethernet0");
        // then
        assertEquals(Set.of("DEL Ethernet0:10.0.0.1", "DEL Ethernet0:fc00::1"), Set.copyOf(emitted));
        assertEquals(1, view.kernelSize());
    }

    @Test
    void addsKeptLinkLocalNeighborsWhenLinkLocalModeTurnsOn() {
        // given
        view.onMessage(neigh("Vlan1000", "fe80::1", "00:00:00:00:00:01", NudState.REACHABLE));
        assertEquals(List.of(), emitted);
        // when
        view.setModes(new SwitchModes(false, Set.of("Vlan1000")));
        // then
        assertEquals(List.of("SET Vlan1000:fe80::1 neigh=00:00:00:00:00:01 family=IPv6"), emitted);
    }

    @Test
    void turnsUnresolvedNeighborsIntoZeroMacWhenSwitchBecomesDualTor() {
        // given
        view.onMessage(neigh("Vlan1000", "192.168.0.2", "00:00:00:00:00:01", NudState.REACHABLE));
        view.onMessage(neigh("Vlan1000", "192.168.0.3", null, NudState.INCOMPLETE));
        view.onMessage(neigh("Vlan1000", "169.254.0.1", "00:00:00:00:00:05", NudState.PERMANENT));
        emitted.clear();
        // when
        view.setModes(new SwitchModes(true, Set.of()));
        // then the unresolved neighbor is set with the zero MAC; the IPv4 link-local one, whose
        // messages a dual-ToR switch ignores, keeps what is written
        assertEquals(List.of("SET Vlan1000:192.168.0.3 neigh=00:00:00:00:00:00 family=IPv4"), emitted);
        assertEquals(3, view.appliedSize());
    }

    @Test
    void deletesNoarpNeighborsWhenTheSwitchBecomesEvpn() {
        // given a NOARP neighbor without extern_learn, ignored outside EVPN, and a synced one
        view.onMessage(neigh("Vlan1000", "192.168.0.2", "00:00:00:00:00:01", NudState.REACHABLE));
        view.onMessage(neigh("Vlan1000", "192.168.0.2", "00:00:00:00:00:01", NudState.NOARP));
        emitted.clear();
        // when CONFIG_DB gets a VXLAN_EVPN_NVO, whose variant deletes such entries
        view.setModes(new SwitchModes(false, Set.of(), true));
        // then its entry is deleted
        assertEquals(List.of("DEL Vlan1000:192.168.0.2"), emitted);
    }

    @Test
    void writesNothingWhenModesDoNotChange() {
        // given
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.PERMANENT));
        emitted.clear();
        // when
        view.setModes(SwitchModes.DEFAULT);
        view.reconcileAll();
        // then
        assertEquals(List.of(), emitted);
    }

    @Test
    void filterVetoRemovesOnlyTheVetoedEntries() {
        // given
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.PERMANENT));
        view.onMessage(neigh("Ethernet4", "10.0.1.1", "00:00:00:00:00:03", NudState.PERMANENT));
        emitted.clear();
        NeighborFilter dropEthernet4 = r -> r.key().ifname().equals("Ethernet4") ? Optional.empty() : Optional.of(r);
        // when
        view.setFilters(List.of(dropEthernet4));
        // then
        assertEquals(List.of("DEL Ethernet4:10.0.1.1"), emitted);
        // and when the filter leaves, the entry comes back
        emitted.clear();
        view.setFilters(List.of());
        assertEquals(List.of("SET Ethernet4:10.0.1.1 neigh=00:00:00:00:00:03 family=IPv4"), emitted);
    }

    @Test
    void filterMayRewriteTheMacButNotTheKey() {
        // given
        NeighborFilter rewrite = r -> Optional.of(r.withMac(MacAddress.parse("02:00:00:00:00:aa")));
        view.setFilters(List.of(rewrite));
        // when
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.PERMANENT));
        // then
        assertEquals(List.of("SET Ethernet0:10.0.0.1 neigh=02:00:00:00:00:aa family=IPv4"), emitted);
        assertTrue(counters.snapshot().changesSet() == 1);
    }

    private static java.util.Map<net.neighsyncd.api.neighbor.NeighborKey, net.neighsyncd.api.neighbor.NeighborRecord> store(
            String... keyMacPairs) {
        java.util.Map<net.neighsyncd.api.neighbor.NeighborKey, net.neighsyncd.api.neighbor.NeighborRecord> m = new java.util.HashMap<>();
        for (int i = 0; i < keyMacPairs.length; i += 2) {
            net.neighsyncd.api.neighbor.NeighborKey k = net.neighsyncd.api.neighbor.NeighborKey.parse(keyMacPairs[i]);
            m.put(k, new net.neighsyncd.api.neighbor.NeighborRecord(k, MacAddress.parse(keyMacPairs[i + 1])));
        }
        return m;
    }

    @Test
    void deletesStaleStoreEntriesAtTheFirstDumpAndKeepsWhatMatches() {
        // given: the store still holds two entries from a previous run, one of them gone from the kernel
        view.reloadApplied(store("Ethernet0:10.0.0.1", "00:00:00:00:00:01", "Ethernet0:10.0.0.9", "00:00:00:00:00:09"));
        assertEquals(List.of(), emitted);
        // when: the first dump reports only 10.0.0.1, unchanged
        view.onDumpStarted();
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.PERMANENT));
        view.onDumpCompleted();
        // then: only the stale entry is written (deleted)
        assertEquals(List.of("DEL Ethernet0:10.0.0.9"), emitted);
    }

    @Test
    void leavesStaleStoreEntriesAloneWhenCleanupIsOff() {
        // given
        view.setStaleCleanup(false);
        view.reloadApplied(store("Ethernet0:10.0.0.9", "00:00:00:00:00:09"));
        // when
        view.onDumpStarted();
        view.onDumpCompleted();
        view.reloadApplied(store("Ethernet0:10.0.0.9", "00:00:00:00:00:09"));
        // then
        assertEquals(List.of(), emitted);
        // and when the kernel reports the key itself, it is managed again
        view.onMessage(neigh("Ethernet0", "10.0.0.9", "00:00:00:00:00:0a", NudState.REACHABLE));
        view.onMessage(del("Ethernet0", "10.0.0.9"));
        assertEquals(List.of("SET Ethernet0:10.0.0.9 neigh=00:00:00:00:00:0a family=IPv4", "DEL Ethernet0:10.0.0.9"),
                emitted);
    }

    @Test
    void rewritesEverythingWhenTheStoreComesBackEmpty() {
        // given
        view.onDumpStarted();
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.PERMANENT));
        view.onMessage(neigh("Ethernet0", "fc00::1", "00:00:00:00:00:02", NudState.PERMANENT));
        view.onDumpCompleted();
        emitted.clear();
        // when: the store was restarted empty
        view.reloadApplied(store());
        // then
        assertEquals(Set.of("SET Ethernet0:10.0.0.1 neigh=00:00:00:00:00:01 family=IPv4",
                "SET Ethernet0:fc00::1 neigh=00:00:00:00:00:02 family=IPv6"), Set.copyOf(emitted));
    }

    @Test
    void writesOnlyWhatDiffersAfterAReadBack() {
        // given
        view.onDumpStarted();
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.PERMANENT));
        view.onMessage(neigh("Ethernet0", "10.0.0.2", "00:00:00:00:00:02", NudState.PERMANENT));
        view.onDumpCompleted();
        emitted.clear();
        // when: the store kept 10.0.0.1, lost 10.0.0.2 and holds a foreign change on 10.0.0.3
        view.reloadApplied(store("Ethernet0:10.0.0.1", "00:00:00:00:00:01", "Ethernet0:10.0.0.3", "00:00:00:00:00:03"));
        // then
        assertEquals(Set.of("SET Ethernet0:10.0.0.2 neigh=00:00:00:00:00:02 family=IPv4", "DEL Ethernet0:10.0.0.3"),
                Set.copyOf(emitted));
    }

    @Test
    void findsAppliedEntriesByKeyOrMacSortedAndLimited() {
        // given
        view.onMessage(neigh("Ethernet4", "10.0.0.2", "00:00:00:00:00:aa", NudState.PERMANENT));
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:bb", NudState.PERMANENT));
        view.onMessage(neigh("Vlan1000", "fc00::1", "00:00:00:00:00:aa", NudState.PERMANENT));
        // when / then
        assertEquals(List.of("Ethernet0:10.0.0.1", "Ethernet4:10.0.0.2"),
                view.appliedMatching("ethernet", 10, ifname -> true).stream().map(r -> r.key().toString()).toList());
        assertEquals(List.of("Ethernet4:10.0.0.2"),
                view.appliedMatching("00:aa", 1, ifname -> true).stream().map(r -> r.key().toString()).toList());
        assertEquals(3, view.appliedMatching("", 100, ifname -> true).size());
    }

    @Test
    void listsOnlyTheEntriesOfTheInterfacesAsked() {
        // given: entries on two interfaces
        view.onMessage(neigh("Ethernet4", "10.0.0.2", "00:00:00:00:00:aa", NudState.PERMANENT));
        view.onMessage(neigh("Vlan1000", "fc00::1", "00:00:00:00:00:aa", NudState.PERMANENT));
        // when / then: the interfaces of one VRF, say
        assertEquals(List.of("Vlan1000:fc00::1"), view.appliedMatching("", 10, "Vlan1000"::equals).stream()
                .map(r -> r.key().toString()).toList());
    }

    @Test
    void keepsTheEntryWhenAMessageIsIgnored() {
        // given a synced neighbor
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.REACHABLE));
        emitted.clear();
        // when the kernel reports it with the broadcast MAC and then without a MAC (rule 8 ignores both)
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "ff:ff:ff:ff:ff:ff", NudState.REACHABLE));
        view.onMessage(neigh("Ethernet0", "10.0.0.1", null, NudState.PERMANENT));
        // then nothing is written: the entry stays as the last accepted message left it
        assertEquals(List.of(), emitted);
        assertEquals(1, view.appliedSize());
    }

    @Test
    void keepsTheEntryOfAnIgnoredDeleteUntilADumpNoLongerListsIt() {
        // given a synced IPv4 link-local neighbor, then the switch becomes dual-ToR (rule 3 ignores it)
        view.onMessage(neigh("Ethernet0", "169.254.0.1", "00:00:00:00:00:01", NudState.REACHABLE));
        view.setModes(new SwitchModes(true, Set.of()));
        emitted.clear();
        // when the kernel deletes it: SONiC ignores that delete too
        view.onMessage(del("Ethernet0", "169.254.0.1"));
        // then nothing is written, and the kernel view no longer counts it
        assertEquals(List.of(), emitted);
        assertEquals(0, view.kernelSize());
        // when a full dump no longer lists it
        view.onDumpStarted();
        view.onDumpCompleted();
        // then it is deleted: a dump is the kernel's whole table
        assertEquals(List.of("DEL Ethernet0:169.254.0.1"), emitted);
    }

    @Test
    void deletesUnreadableStoreKeysTheKernelDidNotConfirmWhenReleased() {
        // given a warm start: held, the kernel reports one neighbor, the store held nothing readable
        view.hold();
        view.reloadApplied(java.util.Map.of());
        view.onDumpStarted();
        view.onMessage(neigh("Ethernet0", "10.0.0.1", "00:00:00:00:00:01", NudState.REACHABLE));
        view.onDumpCompleted();
        assertEquals(List.of(), emitted);
        // when released with two keys the store held in a form this daemon does not write
        view.release(Set.of(net.neighsyncd.api.neighbor.NeighborKey.parse("Ethernet0:10.0.0.1"),
                net.neighsyncd.api.neighbor.NeighborKey.parse("Ethernet0:10.0.0.2")));
        // then the confirmed one is set in full, the other deleted
        assertEquals(Set.of("SET Ethernet0:10.0.0.1 neigh=00:00:00:00:00:01 family=IPv4", "DEL Ethernet0:10.0.0.2"),
                Set.copyOf(emitted));
        assertEquals(2, emitted.size());
    }
}
