package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.watch.NeighborOrder;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.vrf.VrfPolicy;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.NeighborExplanation;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.engine.NeighborFilter;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.SwitchModes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's two views and the one reconcile step between them. <em>Kernel</em> holds the
 * last message of every neighbor the kernel has; <em>desired</em> is derived from it by the
 * rules and the filters; <em>applied</em> is what has been handed to the APPL_DB writer. Both
 * views of a neighbor live in its one {@link NeighborSlot} of a {@link NeighborTable}. Every
 * trigger (an event, a completed dump, a mode or filter change, a removed link) ends in
 * {@link #reconcile}, which emits a change only where desired and applied differ.
 * Confined to the engine thread.
 */
final class NeighborView {
    private static final Logger LOG = LoggerFactory.getLogger(NeighborView.class);

    /** Both views, one slot per neighbor. */
    private final NeighborTable table = new NeighborTable();
    private final Consumer<NeighborChange> out;
    private final EngineTally counters;
    private SwitchModes modes = SwitchModes.DEFAULT;
    private RulesPolicy policy = RulesPolicy.SONIC;
    /** Each interface's VRF policy; every one synced until the engine knows the VRFs and their policies. */
    private java.util.function.Function<String, VrfPolicy> vrfPolicies = ifname -> VrfPolicy.SYNC_ALL;
    private List<NeighborFilter> filters = List.of();
    private int generation;
    private boolean dumpCompleted;
    /** While holding, the views follow the kernel and the store but no change is emitted. */
    private boolean holding;
    private boolean staleCleanup = true;
    /**
     * With stale cleanup off: keys the store held at start that the kernel did not have. They
     * are left alone (never deleted) until the kernel reports the key itself.
     */
    private final Set<NeighborKey> foreign = new HashSet<>();

    NeighborView(Consumer<NeighborChange> out, EngineTally counters) {
        this.out = out;
        this.counters = counters;
    }

    /**
     * One kernel message, live or from a dump. A message the rules ignore changes nothing that is
     * written; any other sets or deletes its entry. On an EVPN VXLAN switch every set of a
     * neighbor in a VRF removes APPL_DB's host route to it first, an unchanged entry included.
     */
    void onMessage(NeighborMessage m) {
        counters.messages.increment();
        boolean timed = counters.rules.sample();
        long start = timed ? System.nanoTime() : 0;
        NeighborKey key = m.family() == null ? null : m.key();
        Verdict verdict = NeighborRules.evaluate(m, key, modes, policy, vrfPolicies.apply(m.ifname()));
        if (verdict.reason() != null) {
            counters.dropped(verdict.reason());
            LOG.debug("dropped ({}): {}; {}", verdict.reason().label(), m, effect(verdict.kind()));
        }
        boolean ignored = verdict.kind() == Verdict.Kind.IGNORE;
        NeighborRecord desired = null;
        if (m.family() != null && verdict.kind() == Verdict.Kind.SET) {
            desired = applyFilters(verdict.record());
            if (desired == null) {
                counters.dropped(DropReason.FILTERED);
                LOG.debug("dropped ({}): {}; {}", DropReason.FILTERED.label(), m, effect(Verdict.Kind.DELETE));
            }
        }
        long ruled = timed ? System.nanoTime() : 0;
        if (timed) {
            counters.rules.record(ruled - start);
        }
        if (key == null) {
            return;
        }
        NeighborSlot slot;
        if (m.deleted() && !ignored) {
            slot = table.get(key);
            if (slot != null) {
                table.clearKernel(slot);
            }
        } else {
            slot = table.getOrAdd(key);
            table.setMessage(slot, m, !ignored, generation);
        }
        if (!foreign.isEmpty()) {
            foreign.remove(key);
        }
        if (!ignored) {
            reconcile(slot, key, desired, true);
        }
        if (slot != null) {
            table.removeIfEmpty(slot);
        }
        if (timed) {
            counters.diff.record(System.nanoTime() - ruled);
        }
    }

    private static String effect(Verdict.Kind kind) {
        return kind == Verdict.Kind.IGNORE ? "message ignored, entry kept" : "entry not wanted";
    }

    /** A full dump begins: what it does not report again is gone at {@link #onDumpCompleted()}. */
    void onDumpStarted() {
        generation++;
    }

    /** Mark and sweep: kernel entries the dump did not see are removed, then one diff. */
    void onDumpCompleted() {
        List<NeighborSlot> gone = table.select(s -> s.inKernel() && s.generation() < generation);
        for (NeighborSlot s : gone) {
            table.clearKernel(s);
            table.removeIfEmpty(s);
        }
        if (!gone.isEmpty()) {
            LOG.info("dump complete: {} neighbors no longer in the kernel", gone.size());
        }
        if (!dumpCompleted) {
            dumpCompleted = true;
            if (!staleCleanup) {
                for (NeighborSlot s : table.select(s -> s.applied() && !s.inKernel())) {
                    foreign.add(s.key());
                }
            }
        }
        forgetForeignEntries();
        reconcileAll();
    }

    /** Stops emitting changes until {@link #release()}: the start decision or a warm restart's timer. */
    void hold() {
        holding = true;
    }

    boolean holding() {
        return holding;
    }

    /** Emits again, starting with one diff of everything held back; nothing before the first dump. */
    void release() {
        release(Set.of());
    }

    /**
     * As {@link #release()}, and deletes each of {@code unreadable} that is not applied after the
     * diff: keys the store holds with fields this daemon would not write (a warm start read them),
     * which the kernel did not confirm.
     */
    void release(Set<NeighborKey> unreadable) {
        if (!holding) {
            return;
        }
        holding = false;
        if (dumpCompleted) {
            forgetForeignEntries();
            reconcileAll();
        }
        for (NeighborKey k : unreadable) {
            NeighborSlot s = table.get(k);
            if (s == null || !s.applied()) {
                counters.changesDelete.increment();
                out.accept(NeighborChange.delete(k));
            }
        }
    }

    boolean dumpCompleted() {
        return dumpCompleted;
    }

    /** Whether entries the store holds but the kernel does not are deleted at the first dump. */
    void setStaleCleanup(boolean on) {
        staleCleanup = on;
    }

    /**
     * Replaces the applied view by what the store really holds, then writes only what differs
     * from desired. Before the first dump is complete the kernel view is partial, so the diff
     * waits for that dump instead.
     */
    void reloadApplied(Map<NeighborKey, NeighborRecord> state) {
        for (NeighborSlot s : table.select(NeighborSlot::applied)) {
            table.clearApplied(s);
            table.removeIfEmpty(s);
        }
        for (Map.Entry<NeighborKey, NeighborRecord> e : state.entrySet()) {
            table.setApplied(table.getOrAdd(e.getKey()), e.getValue().mac());
        }
        if (!dumpCompleted) {
            LOG.info("read {} entries back from the store; reconciling after the first dump", state.size());
            return;
        }
        LOG.info("read {} entries back from the store; reconciling", state.size());
        forgetForeignEntries();
        reconcileAll();
    }

    private void forgetForeignEntries() {
        int forgotten = 0;
        for (NeighborKey k : foreign) {
            NeighborSlot s = table.get(k);
            if (s != null && s.applied()) {
                table.clearApplied(s);
                table.removeIfEmpty(s);
                forgotten++;
            }
        }
        if (forgotten > 0) {
            LOG.info("stale cleanup is off: leaving {} store entries the kernel did not have at start", forgotten);
        }
    }

    /** Every neighbor on a removed interface is gone. */
    void onLinkRemoved(String ifname) {
        for (NeighborSlot s : table.select(s -> s.ifname.equals(ifname))) {
            table.clearKernel(s);
            reconcile(s, null, null, false);
            table.removeIfEmpty(s);
        }
    }

    void setModes(SwitchModes next) {
        if (!next.equals(modes)) {
            LOG.info("switch modes changed: {} -> {}", modes, next);
            modes = next;
            reconcileAll();
        }
    }

    SwitchModes modes() {
        return modes;
    }

    /** Whether the rules apply the dual-ToR variant: CONFIG_DB's mode, or the operator's forced one. */
    boolean dualTorInForce() {
        return policy.dualTor(modes);
    }

    /** Whether link-local-only mode is on for at least one interface, by CONFIG_DB or forced. */
    boolean linkLocalOnlyInForce() {
        return policy.anyLinkLocalOnly(modes);
    }

    /** A changed policy re-derives every entry and writes only the difference. */
    void setPolicy(RulesPolicy next) {
        if (!next.sameAs(policy)) {
            LOG.info("rules policy changed: {} -> {}", policy, next);
            policy = next;
            reconcileAll();
        }
    }

    /**
     * The VRF policy of each interface (by the VRF it is bound to): a new one, after a move
     * between VRFs or a changed policy, re-derives every entry and writes only the difference.
     */
    void setVrfPolicies(java.util.function.Function<String, VrfPolicy> next) {
        vrfPolicies = next;
        reconcileAll();
    }

    void setFilters(List<NeighborFilter> next) {
        filters = List.copyOf(next);
        reconcileAll();
    }

    /** Re-derives desired for every known key and writes only the difference. */
    void reconcileAll() {
        for (NeighborSlot s : table.select(s -> true)) {
            rederive(s);
            table.removeIfEmpty(s);
        }
    }

    /** Neighbors the kernel has. */
    int kernelSize() {
        return table.present();
    }

    /** Kernel-view neighbors per address family (every family present, 0 when none). */
    Map<net.neighsyncd.api.neighbor.Family, Integer> kernelSizeByFamily() {
        return table.presentByFamily();
    }

    /** Kernel-view neighbors per NUD state (every category present, 0 when none). */
    Map<NudCategory, Integer> kernelSizeByState() {
        return table.presentByState();
    }

    int appliedSize() {
        return table.appliedCount();
    }

    /** Applied entries per interface, for every interface that has one. */
    Map<String, Integer> appliedByInterface() {
        return table.appliedByInterface();
    }

    /**
     * Applied entries on the interfaces {@code interfaceWanted} accepts whose key or MAC contains
     * {@code lowerCaseText}, sorted by key, at most {@code limit}.
     */
    List<NeighborRecord> appliedMatching(String lowerCaseText, int limit,
            java.util.function.Predicate<String> interfaceWanted) {
        // each key's text once: addresses are formatted when asked, not kept
        List<Map.Entry<String, NeighborRecord>> matching = new ArrayList<>();
        for (NeighborSlot s : table.select(s -> s.applied() && interfaceWanted.test(s.ifname))) {
            NeighborRecord r = s.appliedRecord();
            String key = r.key().toString();
            if (lowerCaseText.isEmpty() || key.toLowerCase(java.util.Locale.ROOT).contains(lowerCaseText)
                    || r.mac().toString().contains(lowerCaseText)) {
                matching.add(Map.entry(key, r));
            }
        }
        matching.sort(Map.Entry.comparingByKey());
        List<NeighborRecord> out = new ArrayList<>(Math.min(limit, matching.size()));
        for (int i = 0; i < matching.size() && i < limit; i++) {
            out.add(matching.get(i).getValue());
        }
        return out;
    }

    // the acknowledged side (what APPL_DB holds, as the sink confirmed it): the watch's table

    /**
     * The APPL_DB sink acknowledged {@code batch}: the acknowledged side follows it, and
     * {@code states[i]} is set to the kernel's state of the i-th change's neighbor now (null: none).
     */
    void acknowledge(List<NeighborChange> batch, NudCategory[] states) {
        for (int i = 0; i < batch.size(); i++) {
            NeighborChange c = batch.get(i);
            if (c.op() == NeighborChange.Op.SET) {
                NeighborSlot s = table.getOrAdd(c.key());
                s.setAcked(c.record().mac().bits());
                states[i] = s.kernelState();
            } else {
                NeighborSlot s = table.get(c.key());
                if (s != null) {
                    states[i] = s.kernelState();
                    s.clearAcked();
                    table.removeIfEmpty(s);
                }
            }
        }
    }

    /**
     * The changes that make the acknowledged side equal to {@code state} (what the store was read
     * back to hold), deletes first; {@link #acknowledge} them to apply them.
     */
    List<NeighborChange> changesToAcknowledged(Map<NeighborKey, NeighborRecord> state) {
        List<NeighborChange> out = new ArrayList<>();
        for (NeighborSlot s : table.select(NeighborSlot::acked)) {
            NeighborKey k = s.key();
            if (!state.containsKey(k)) {
                out.add(NeighborChange.delete(k));
            }
        }
        for (NeighborRecord r : state.values()) {
            NeighborSlot s = table.get(r.key());
            if (s == null || !s.acked() || s.ackedMac() != r.mac().bits()) {
                out.add(NeighborChange.set(r));
            }
        }
        return out;
    }

    /**
     * The first {@code limit + 1} acknowledged entries {@code wanted} accepts after {@code after}
     * (null: from the first) in {@link NeighborOrder}, in no order; {@code vrfOf} names each
     * interface's VRF. Only that many are kept while the table is read.
     */
    List<WatchEntry> acknowledged(NeighborSelector wanted, Function<String, String> vrfOf, NeighborKey after,
            int limit) {
        boolean all = limit >= Integer.MAX_VALUE - 1;
        java.util.Comparator<WatchEntry> order = (a, b) -> NeighborOrder.compare(a.record().key(), b.record().key());
        java.util.PriorityQueue<WatchEntry> largestFirst = all ? null
                : new java.util.PriorityQueue<>(Math.min(limit + 2, 1 << 16), order.reversed());
        List<WatchEntry> out = new ArrayList<>();
        for (NeighborSlot s : table.select(NeighborSlot::acked)) {
            String vrf = vrfOf.apply(s.ifname);
            if (wanted.ifname() != null && !wanted.ifname().equals(s.ifname)
                    || wanted.vrf() != null && !wanted.vrf().equals(vrf)) {
                continue;
            }
            NeighborKey k = s.key();
            if (after != null && NeighborOrder.compare(k, after) <= 0) {
                continue;
            }
            MacAddress mac = MacAddress.ofBits(s.ackedMac());
            NudCategory state = s.kernelState();
            if (!wanted.accepts(k, mac, vrf, state)) {
                continue;
            }
            WatchEntry e = new WatchEntry(new NeighborRecord(k, mac), vrf, state);
            if (all) {
                out.add(e);
            } else {
                largestFirst.add(e);
                if (largestFirst.size() > limit + 1) {
                    largestFirst.poll();
                }
            }
        }
        return all ? out : new ArrayList<>(largestFirst);
    }

    /**
     * Everything the views know of {@code key}, and what the rules and filters in force make of it;
     * {@code vrf} is its interface's VRF.
     */
    NeighborExplanation explain(NeighborKey key, String vrf) {
        NeighborSlot slot = table.get(key);
        MacAddress applied = slot != null && slot.applied() ? MacAddress.ofBits(slot.appliedMac()) : null;
        MacAddress acked = slot != null && slot.acked() ? MacAddress.ofBits(slot.ackedMac()) : null;
        if (applied == null && acked != null && foreign.contains(key)) {
            // left alone with stale cleanup off: APPL_DB keeps it, and no write for it is on its way
            applied = acked;
        }
        NeighborMessage kernel = slot == null ? null : slot.message();
        if (kernel == null) {
            return new NeighborExplanation(key, vrf, null, NeighborExplanation.Disposition.NOT_IN_KERNEL, null, null,
                    applied, acked);
        }
        Verdict v = NeighborRules.evaluate(kernel, key, modes, policy, vrfPolicies.apply(slot.ifname));
        NeighborExplanation.Disposition d;
        NeighborRecord desired = null;
        DropReason reason = v.reason();
        switch (v.kind()) {
            case SET -> {
                desired = applyFilters(v.record());
                d = desired == null ? NeighborExplanation.Disposition.DROPPED : NeighborExplanation.Disposition.SYNCED;
                reason = desired == null ? DropReason.FILTERED : null;
            }
            case IGNORE -> d = NeighborExplanation.Disposition.IGNORED;
            default -> d = reason == null ? NeighborExplanation.Disposition.DELETED
                    : NeighborExplanation.Disposition.DROPPED;
        }
        return new NeighborExplanation(key, vrf, kernel, d, reason, desired == null ? null : desired.mac(), applied,
                acked);
    }

    /** A copy of the applied view: what a newly arriving sink receives first. */
    List<NeighborRecord> appliedSnapshot() {
        List<NeighborSlot> slots = table.select(NeighborSlot::applied);
        List<NeighborRecord> out = new ArrayList<>(slots.size());
        for (NeighborSlot s : slots) {
            out.add(s.appliedRecord());
        }
        return out;
    }

    /**
     * Re-derives one key under the rules in force. Its last message decides; when the rules
     * ignore it, its last accepted message does; when they ignore that too, or there is none,
     * what is applied stays. A key the kernel no longer has is deleted.
     */
    private void rederive(NeighborSlot slot) {
        if (!slot.inKernel()) {
            reconcile(slot, null, null, false);
            return;
        }
        NeighborMessage message = slot.message();
        NeighborKey key = message.key();
        VrfPolicy vrf = vrfPolicies.apply(slot.ifname);
        Verdict v = NeighborRules.evaluate(message, key, modes, policy, vrf);
        if (v.kind() == Verdict.Kind.IGNORE && slot.acceptedIsOlder()) {
            v = NeighborRules.evaluate(slot.acceptedMessage(), key, modes, policy, vrf);
        }
        if (v.kind() == Verdict.Kind.IGNORE) {
            return;
        }
        if (!slot.presentInKernel()) {
            // a delete the rules ignored before and accept now: the kernel has no such neighbor
            table.clearKernel(slot);
        }
        reconcile(slot, key, v.kind() == Verdict.Kind.SET ? applyFilters(v.record()) : null, false);
    }

    private NeighborRecord applyFilters(NeighborRecord record) {
        NeighborRecord current = record;
        for (NeighborFilter f : filters) {
            Optional<NeighborRecord> r;
            try {
                r = f.filter(current);
            } catch (RuntimeException e) {
                LOG.warn("filter {} failed on {}; entry passed unchanged", f.getClass().getName(), current, e);
                continue;
            }
            if (r == null || r.isEmpty()) {
                return null;
            }
            if (!r.get().key().equals(current.key())) {
                LOG.warn("filter {} changed the key of {} to {}; a filter may rewrite fields only, result ignored",
                        f.getClass().getName(), current.key(), r.get().key());
                continue;
            }
            current = r.get();
        }
        return current;
    }

    /**
     * A set; on an EVPN VXLAN switch, for a neighbor on an interface enslaved to a {@code Vrf*}
     * device, one that first removes APPL_DB's host route to it (docs/sonic-contract.md, EVPN).
     */
    private NeighborChange setChange(NeighborRecord desired, NeighborSlot slot) {
        String vrf = hostRouteVrf(slot);
        return vrf == null ? NeighborChange.set(desired) : NeighborChange.setReplacingHostRoute(desired, vrf);
    }

    /** The VRF whose host route a set of {@code slot}'s neighbor removes first, or null. */
    private String hostRouteVrf(NeighborSlot slot) {
        if (!modes.evpnNvo()) {
            return null;
        }
        String master = slot.inKernel() ? slot.masterName() : null;
        return master != null && master.startsWith("Vrf") ? master : null;
    }

    /**
     * Emits a change where desired and applied differ; {@code key} is {@code slot}'s when the caller
     * holds it already, else null. The caller removes the slot if it is left empty. With {@code fromMessage}, a set of an
     * unchanged entry that removes a host route is emitted all the same: SONiC removes the route
     * before every set of the neighbor, so a route installed again meanwhile goes again.
     */
    private void reconcile(NeighborSlot slot, NeighborKey key, NeighborRecord desired, boolean fromMessage) {
        if (holding) {
            return;
        }
        boolean applied = slot != null && slot.applied();
        if (desired == null) {
            if (applied) {
                table.clearApplied(slot);
                counters.changesDelete.increment();
                out.accept(NeighborChange.delete(key != null ? key : slot.key()));
            }
        } else {
            NeighborSlot s = slot != null ? slot : table.getOrAdd(desired.key());
            if (!applied || s.appliedMac() != desired.mac().bits() || fromMessage && hostRouteVrf(s) != null) {
                table.setApplied(s, desired.mac());
                counters.changesSet.increment();
                out.accept(setChange(desired, s));
            }
        }
    }
}
