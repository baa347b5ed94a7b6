package net.neighsyncd.core.internal;

import net.neighsyncd.api.vrf.VrfPolicy;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborFlags;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.api.engine.SwitchModes;

/**
 * SONiC's rules for one kernel neighbor message (docs/sonic-contract.md), in SONiC's order. A
 * pure function: the switch modes are passed in, never read per message. A rule that ignores the
 * message and one that deletes the entry are told apart by {@link Verdict.Kind}.
 */
final class NeighborRules {
    private NeighborRules() {
    }

    static Verdict evaluate(NeighborMessage m, SwitchModes modes) {
        return evaluate(m, modes, RulesPolicy.SONIC);
    }

    /** The rules with an operator's policy: forced modes, ignored interfaces, families synced. */
    static Verdict evaluate(NeighborMessage m, SwitchModes modes, RulesPolicy policy) {
        return evaluate(m, null, modes, policy);
    }

    /**
     * As {@link #evaluate(NeighborMessage, SwitchModes, RulesPolicy)}, a record set carrying
     * {@code key} (the message's key the caller already holds; {@code null}: a new one), so that
     * the engine's views share one key object per neighbor.
     */
    static Verdict evaluate(NeighborMessage m, NeighborKey key, SwitchModes modes, RulesPolicy policy) {
        return evaluate(m, key, modes, policy, VrfPolicy.SYNC_ALL);
    }

    /**
     * As {@link #evaluate(NeighborMessage, NeighborKey, SwitchModes, RulesPolicy)}, under the
     * policy of the VRF the message's interface is bound to: not synced at all, fewer families,
     * IPv6 link-local forced on or off.
     */
    static Verdict evaluate(NeighborMessage m, NeighborKey key, SwitchModes modes, RulesPolicy policy,
            VrfPolicy vrf) {
        // 1. IPv4 and IPv6 only.
        Family family = m.family();
        if (family == null) {
            return Verdict.drop(DropReason.NOT_IP);
        }
        // operator policy: families and interfaces not synced, VRFs not synced
        if (!policy.synced(family) || !vrf.families().contains(family)) {
            return Verdict.drop(DropReason.FAMILY_DISABLED);
        }
        if (policy.ignored(m.ifname())) {
            return Verdict.drop(DropReason.INTERFACE_IGNORED);
        }
        if (!vrf.sync()) {
            return Verdict.drop(DropReason.VRF_NOT_SYNCED);
        }
        IpAddress ip = m.address();
        boolean dualTor = policy.dualTor(modes);
        // 3. Dual-ToR: IPv4 link-local is not a neighbor.
        if (family == Family.IPV4 && dualTor && ip.isLinkLocal()) {
            return Verdict.drop(DropReason.IPV4_LINK_LOCAL_DUAL_TOR);
        }
        // 4. IPv6 link-local only where link-local-only mode is on; a delete always passes.
        if (family == Family.IPV6 && ip.isLinkLocal() && !m.deleted() && !linkLocalSynced(modes, policy, vrf, m.ifname())) {
            return Verdict.drop(DropReason.IPV6_LINK_LOCAL);
        }
        // 5. IPv6 multicast link-local.
        if (ip.isMulticastLinkLocal()) {
            return Verdict.drop(DropReason.IPV6_MULTICAST_LINK_LOCAL);
        }
        // EVPN VXLAN NVO variant: a reachability re-check (RTM_NEWNEIGH in PROBE) is ignored
        int state = m.state();
        if (modes.evpnNvo() && state == NudState.PROBE && !m.deleted()) {
            return Verdict.drop(DropReason.PROBE_EVPN);
        }
        // 6. NOARP unless learned by a control plane (EVPN); the EVPN variant deletes it instead.
        if (state == NudState.NOARP && !NeighborFlags.isExtLearned(m.flags())) {
            return modes.evpnNvo() ? Verdict.delete() : Verdict.drop(DropReason.NOARP);
        }
        // 7. Deletes; a dual-ToR switch keeps unresolved neighbors with a zero MAC.
        if (m.deleted()) {
            return Verdict.delete();
        }
        boolean unresolved = state == NudState.INCOMPLETE || state == NudState.FAILED;
        if (unresolved) {
            return dualTor ? Verdict.set(new NeighborRecord(key != null ? key : m.key(), MacAddress.ZERO)) : Verdict.delete();
        }
        // 8. A set needs a real unicast MAC.
        MacAddress mac = m.mac();
        if (mac == null) {
            return Verdict.drop(DropReason.MAC_MISSING);
        }
        if (mac.isBroadcast()) {
            return Verdict.drop(DropReason.MAC_BROADCAST);
        }
        // 9. Set.
        return Verdict.set(new NeighborRecord(key != null ? key : m.key(), mac));
    }

    private static boolean linkLocalSynced(SwitchModes modes, RulesPolicy policy, VrfPolicy vrf, String ifname) {
        return switch (vrf.linkLocal()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case INHERIT -> policy.linkLocalOnly(modes, ifname);
        };
    }
}
