package net.neighsyncd.grpc.internal;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.EngineCounters;
import net.neighsyncd.api.engine.EngineGauges;
import net.neighsyncd.api.engine.NeighborExplanation;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.engine.ResyncProgress;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.watch.AppliedChange;
import net.neighsyncd.api.watch.ResetReason;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.watch.WatchPosition;
import net.neighsyncd.grpc.v1.ApplDbView;
import net.neighsyncd.grpc.v1.Change;
import net.neighsyncd.grpc.v1.Family;
import net.neighsyncd.grpc.v1.KernelView;
import net.neighsyncd.grpc.v1.Neighbor;
import net.neighsyncd.grpc.v1.NudState;
import net.neighsyncd.grpc.v1.Position;
import net.neighsyncd.grpc.v1.Reset;
import net.neighsyncd.grpc.v1.Verdict;

/** The engine's values as the v1 messages write them, and back (neighsyncd.proto). */
final class ProtoMapping {
    private ProtoMapping() {
    }

    static Family family(net.neighsyncd.api.neighbor.Family f) {
        return f == net.neighsyncd.api.neighbor.Family.IPV4 ? Family.IPV4 : Family.IPV6;
    }

    /** A filter's family: null for any. */
    static net.neighsyncd.api.neighbor.Family family(Family f) {
        return switch (f) {
            case IPV4 -> net.neighsyncd.api.neighbor.Family.IPV4;
            case IPV6 -> net.neighsyncd.api.neighbor.Family.IPV6;
            case FAMILY_UNSPECIFIED -> null;
            case UNRECOGNIZED -> throw new IllegalArgumentException("family: not IPV4 or IPV6");
        };
    }

    static NudState state(NudCategory c) {
        return c == null ? NudState.NUD_STATE_UNSPECIFIED : NudState.valueOf(c.name());
    }

    /** A filter's state: null for any. */
    static NudCategory state(NudState s) {
        if (s == NudState.NUD_STATE_UNSPECIFIED) {
            return null;
        }
        if (s == NudState.UNRECOGNIZED) {
            throw new IllegalArgumentException("state: not a NUD state");
        }
        return NudCategory.valueOf(s.name());
    }

    static Position position(WatchPosition p) {
        return Position.newBuilder().setHistory(p.history()).setRevision(p.revision()).build();
    }

    static Neighbor neighbor(WatchEntry e) {
        return keyed(e.record().key()).setMac(e.record().mac().toString()).setVrf(e.vrf()).setState(state(e.state()))
                .build();
    }

    private static Neighbor.Builder keyed(NeighborKey k) {
        return Neighbor.newBuilder().setKey(k.toString()).setIfname(k.ifname()).setIp(k.ip().toString())
                .setFamily(family(k.ip().family()));
    }

    static Change change(AppliedChange c) {
        NeighborChange change = c.change();
        Change.Builder b = Change.newBuilder().setRevision(c.revision());
        if (change.op() == NeighborChange.Op.DELETE) {
            return b.setOp(Change.Op.DELETE).setNeighbor(keyed(change.key())).build();
        }
        return b.setOp(Change.Op.SET).setNeighbor(keyed(change.key()).setMac(change.record().mac().toString())
                .setVrf(c.vrf()).setState(state(c.state()))).build();
    }

    static Reset reset(ResetReason reason, WatchPosition current) {
        return Reset.newBuilder().setReason(Reset.Reason.valueOf(reason.name())).setCurrent(position(current)).build();
    }

    static net.neighsyncd.grpc.v1.NeighborExplanation explanation(NeighborExplanation e) {
        NeighborKey k = e.key();
        net.neighsyncd.grpc.v1.NeighborExplanation.Builder b = net.neighsyncd.grpc.v1.NeighborExplanation.newBuilder()
                .setKey(k.toString()).setIfname(k.ifname()).setIp(k.ip().toString()).setFamily(family(k.ip().family()))
                .setVrf(e.vrf());
        NeighborMessage m = e.kernel();
        if (m != null) {
            b.setKernel(KernelView.newBuilder().setState(state(NudCategory.of(m.state()))).setMac(text(m.mac()))
                    .setDeleted(m.deleted()).setIfindex(m.ifindex()).setMaster(m.masterName() == null ? ""
                            : m.masterName()));
        }
        b.setVerdict(Verdict.newBuilder().setDisposition(Verdict.Disposition.valueOf(e.disposition().name()))
                .setReason(e.reason() == null ? "" : e.reason().label()).setMac(text(e.desired())));
        b.setApplDb(ApplDbView.newBuilder().setMac(text(e.acknowledged())).setPending(e.pending())
                .setWriting(e.pending() ? text(e.applied()) : ""));
        return b.build();
    }

    static net.neighsyncd.grpc.v1.Status status(String namespace, SyncStatus s, WatchPosition at) {
        EngineGauges g = s.gauges();
        EngineCounters c = s.counters();
        net.neighsyncd.grpc.v1.Status.Builder b = net.neighsyncd.grpc.v1.Status.newBuilder().setNamespace(namespace)
                .setPhase(s.health().phase().name().toLowerCase(Locale.ROOT))
                .setStart(g.start().map(st -> st.label()).orElse(""))
                .setReady(s.health().ready()).setHealthy(s.healthy()).setPosition(position(at))
                .setKernelEntries(g.kernelEntries()).setDesiredEntries(g.desiredEntries())
                .setPendingWrites(g.pendingWrites())
                .setLastDumpMillis(g.lastDumpMicros().isPresent() ? g.lastDumpMicros().getAsLong() / 1000.0 : 0);
        for (net.neighsyncd.api.health.Problem p : s.problems()) {
            b.addProblems(net.neighsyncd.grpc.v1.Problem.newBuilder().setComponent(p.component())
                    .setImpact(p.impact().name().toLowerCase(Locale.ROOT)).setReason(p.reason()));
        }
        g.kernelByFamily().forEach((f, n) -> b.putKernelByFamily(f.sonicName(), n));
        g.kernelByState().forEach((st, n) -> b.putKernelByState(st.label(), n));
        b.putAllCounters(Map.of("messages", c.messages(), "dumpsCompleted", c.dumpsCompleted(), "overflows",
                c.overflows(), "resyncsAfterOverflow", c.resyncsAfterOverflow(), "configRejected", c.configRejected(),
                "writtenSet", s.appDb().writtenSet(), "writtenDelete", s.appDb().writtenDelete(), "writeErrors",
                s.appDb().errors(), "stateReads", s.appDb().stateReads(), "batches", s.appDb().batches()));
        for (DropReason r : DropReason.values()) {
            b.putDropped(r.label(), c.dropped(r));
        }
        s.leadership().ifPresent(l -> b.setLeadership(leadership(l)));
        return b.build();
    }

    static net.neighsyncd.grpc.v1.Leadership leadership(net.neighsyncd.api.ha.LeadershipStatus l) {
        return net.neighsyncd.grpc.v1.Leadership.newBuilder()
                .setRole(l.role() == net.neighsyncd.api.ha.Role.LEADER ? net.neighsyncd.grpc.v1.Leadership.Role.LEADER
                        : net.neighsyncd.grpc.v1.Leadership.Role.STANDBY)
                .setInstance(l.instanceId()).setLeader(l.leader().orElse("")).setToken(l.token().orElse(0))
                .setLeaseAgeMillis(l.leaseAgeMillis().orElse(0)).setStreamLag(l.streamLag().orElse(-1))
                .setTakeovers(l.takeovers()).setStepDowns(l.stepDowns()).build();
    }

    static net.neighsyncd.grpc.v1.ResyncProgress resync(String namespace, ResyncProgress p) {
        return net.neighsyncd.grpc.v1.ResyncProgress.newBuilder().setId(p.id()).setNamespace(namespace)
                .setRequester(p.requester())
                .setState(net.neighsyncd.grpc.v1.ResyncProgress.State.valueOf(p.state().name()))
                .setRequested(time(p.requested())).setStarted(time(p.started())).setCompleted(time(p.completed()))
                .setChangesSet(p.changesSet()).setChangesDeleted(p.changesDeleted()).build();
    }

    private static String time(Instant t) {
        return t == null ? "" : t.toString();
    }

    private static String text(MacAddress mac) {
        return mac == null ? "" : mac.toString();
    }
}
