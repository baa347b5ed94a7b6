package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import net.neighsyncd.api.engine.DropReason;
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
 * rules and the filters; <em>applied</em> is what has been handed to the APPL_DB writer. Every
 * trigger (an event, a completed dump, a mode or filter change, a removed link) ends in
 * {@link #reconcile}, which emits a change only where desired and applied differ.
 * Confined to the engine thread.
 */
final class NeighborView {
    private static final Logger LOG = LoggerFactory.getLogger(NeighborView.class);

    private final KernelNeighbors kernel = new KernelNeighbors();
    private final Map<NeighborKey, NeighborRecord> applied = new HashMap<>();
    private final Consumer<NeighborChange> out;
    private final EngineTally counters;
    private SwitchModes modes = SwitchModes.DEFAULT;
    private RulesPolicy policy = RulesPolicy.SONIC;
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
        Verdict verdict = NeighborRules.evaluate(m, key, modes, policy);
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
        if (m.deleted() && !ignored) {
            kernel.remove(key);
        } else {
            KernelNeighbors.Entry previous = kernel.get(key);
            NeighborMessage accepted = ignored ? previous == null ? null : previous.accepted : m;
            kernel.put(key, new KernelNeighbors.Entry(m, accepted, generation));
        }
        foreign.remove(key);
        if (!ignored) {
            reconcile(key, desired, true);
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
        int swept = kernel.removeIf((k, e) -> e.generation < generation);
        if (swept > 0) {
            LOG.info("dump complete: {} neighbors no longer in the kernel", swept);
        }
        if (!dumpCompleted) {
            dumpCompleted = true;
            if (!staleCleanup) {
                foreign.addAll(applied.keySet());
                foreign.removeAll(kernel.keys());
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
            if (!applied.containsKey(k)) {
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
        applied.clear();
        applied.putAll(state);
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
            if (applied.remove(k) != null) {
                forgotten++;
            }
        }
        if (forgotten > 0) {
            LOG.info("stale cleanup is off: leaving {} store entries the kernel did not have at start", forgotten);
        }
    }

    /** Every neighbor on a removed interface is gone. */
    void onLinkRemoved(String ifname) {
        kernel.removeIf((k, e) -> k.ifname().equals(ifname));
        List<NeighborKey> keys = new ArrayList<>();
        for (NeighborKey k : applied.keySet()) {
            if (k.ifname().equals(ifname)) {
                keys.add(k);
            }
        }
        for (NeighborKey k : keys) {
            reconcile(k, null, false);
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

    void setFilters(List<NeighborFilter> next) {
        filters = List.copyOf(next);
        reconcileAll();
    }

    /** Re-derives desired for every known key and writes only the difference. */
    void reconcileAll() {
        Set<NeighborKey> keys = new HashSet<>(kernel.keys());
        keys.addAll(applied.keySet());
        for (NeighborKey k : keys) {
            rederive(k);
        }
    }

    /** Neighbors the kernel has. */
    int kernelSize() {
        return kernel.present();
    }

    /** Kernel-view neighbors per address family (every family present, 0 when none). */
    Map<net.neighsyncd.api.neighbor.Family, Integer> kernelSizeByFamily() {
        return kernel.presentByFamily();
    }

    /** Kernel-view neighbors per NUD state (every category present, 0 when none). */
    Map<NudCategory, Integer> kernelSizeByState() {
        return kernel.presentByState();
    }

    int appliedSize() {
        return applied.size();
    }

    /** Applied entries whose key or MAC contains {@code lowerCaseText}, sorted by key, at most {@code limit}. */
    List<NeighborRecord> appliedMatching(String lowerCaseText, int limit) {
        // each key's text once: addresses are formatted when asked, not kept
        List<Map.Entry<String, NeighborRecord>> matching = new ArrayList<>();
        for (NeighborRecord r : applied.values()) {
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

    /** A copy of the applied view: what a newly arriving sink receives first. */
    List<NeighborRecord> appliedSnapshot() {
        return new ArrayList<>(applied.values());
    }

    /**
     * Re-derives one key under the rules in force. Its last message decides; when the rules
     * ignore it, its last accepted message does; when they ignore that too, or there is none,
     * what is applied stays. A key the kernel no longer has is deleted.
     */
    private void rederive(NeighborKey key) {
        KernelNeighbors.Entry e = kernel.get(key);
        if (e == null) {
            reconcile(key, null, false);
            return;
        }
        Verdict v = NeighborRules.evaluate(e.message, key, modes, policy);
        if (v.kind() == Verdict.Kind.IGNORE && e.accepted != null && e.accepted != e.message) {
            v = NeighborRules.evaluate(e.accepted, key, modes, policy);
        }
        if (v.kind() == Verdict.Kind.IGNORE) {
            return;
        }
        if (!e.present()) {
            // a delete the rules ignored before and accept now: the kernel has no such neighbor
            kernel.remove(key);
        }
        reconcile(key, v.kind() == Verdict.Kind.SET ? applyFilters(v.record()) : null, false);
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
    private NeighborChange setChange(NeighborRecord desired) {
        String vrf = hostRouteVrf(desired.key());
        return vrf == null ? NeighborChange.set(desired) : NeighborChange.setReplacingHostRoute(desired, vrf);
    }

    /** The VRF whose host route a set of {@code key} removes first, or null. */
    private String hostRouteVrf(NeighborKey key) {
        if (!modes.evpnNvo()) {
            return null;
        }
        KernelNeighbors.Entry e = kernel.get(key);
        String master = e == null ? null : e.message.masterName();
        return master != null && master.startsWith("Vrf") ? master : null;
    }

    /**
     * Emits a change where desired and applied differ. With {@code fromMessage}, a set of an
     * unchanged entry that removes a host route is emitted all the same: SONiC removes the route
     * before every set of the neighbor, so a route installed again meanwhile goes again.
     */
    private void reconcile(NeighborKey key, NeighborRecord desired, boolean fromMessage) {
        if (holding) {
            return;
        }
        NeighborRecord current = applied.get(key);
        if (desired == null) {
            if (current != null) {
                applied.remove(key);
                counters.changesDelete.increment();
                out.accept(NeighborChange.delete(key));
            }
        } else if (!desired.equals(current) || fromMessage && hostRouteVrf(key) != null) {
            applied.put(key, desired);
            counters.changesSet.increment();
            out.accept(setChange(desired));
        }
    }
}
