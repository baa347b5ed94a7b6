package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.watch.ChangeFeed;
import net.neighsyncd.api.watch.NeighborOrder;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.watch.WatchPosition;
import net.neighsyncd.api.watch.WatchSnapshot;

/**
 * One engine start's {@link NeighborWatch}. The APPL_DB writer hands every acknowledged batch to
 * {@link #acknowledged} (writer thread); the engine thread takes them, in order, before its next
 * task ({@link #takeAcknowledged}): the view's acknowledged side follows and the journal numbers
 * them. Since both happen on the engine thread, a snapshot read there is exactly the journal's
 * revision at that moment. The writer never waits for the engine: the batches queue unbounded,
 * but never more than the writer's own outbox held.
 */
final class AppliedWatch implements NeighborWatch {
    private static final Runnable WAKE = () -> { };

    private final ChangeJournal journal;
    private final Supplier<EngineThread> engine;
    private final Supplier<NeighborView> view;
    private final Supplier<VrfBindings> vrfs;
    private final Queue<List<NeighborChange>> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();

    /** {@code engine} and {@code view}: the start's, read when used (they are made after this watch). */
    AppliedWatch(ChangeJournal journal, Supplier<EngineThread> engine, Supplier<NeighborView> view,
            Supplier<VrfBindings> vrfs) {
        this.journal = journal;
        this.engine = engine;
        this.view = view;
        this.vrfs = vrfs;
    }

    /** Writer thread: the APPL_DB sink acknowledged {@code batch}. */
    void acknowledged(List<NeighborChange> batch) {
        inbox.add(batch);
        if (wakeQueued.compareAndSet(false, true)) {
            // a full queue runs a task soon, and every task takes the inbox first
            engine.get().offer(WAKE);
        }
    }

    /** Engine thread: takes every acknowledged batch queued so far, in order. */
    void takeAcknowledged() {
        // reset before looking: a batch added after this is either seen below or wakes the engine
        // again; a wake that finds the inbox empty must reset it too, or the next batch would wait
        // for some other task
        if (wakeQueued.get()) {
            wakeQueued.set(false);
        }
        if (inbox.isEmpty()) {
            return;
        }
        VrfBindings bindings = vrfs.get();
        List<NeighborChange> batch;
        while ((batch = inbox.poll()) != null) {
            NudCategory[] states = new NudCategory[batch.size()];
            view.get().acknowledge(batch, states);
            journal.append(batch, vrfsOf(batch, bindings), states);
        }
    }

    /** Engine thread: the store was read back and holds {@code state}; what that changed is numbered. */
    void reloaded(Map<NeighborKey, NeighborRecord> state) {
        takeAcknowledged();
        List<NeighborChange> changed = view.get().changesToAcknowledged(state);
        if (changed.isEmpty()) {
            return;
        }
        VrfBindings bindings = vrfs.get();
        NudCategory[] states = new NudCategory[changed.size()];
        view.get().acknowledge(changed, states);
        journal.append(changed, vrfsOf(changed, bindings), states);
    }

    /** The engine stopped: followers are told. */
    void stop() {
        journal.stop();
    }

    private static String[] vrfsOf(List<NeighborChange> batch, VrfBindings bindings) {
        String[] out = new String[batch.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bindings.vrfOf(batch.get(i).key().ifname());
        }
        return out;
    }

    @Override
    public WatchPosition position() {
        return journal.position();
    }

    @Override
    public Optional<WatchSnapshot> snapshot(NeighborSelector selector, NeighborKey after, int limit, long timeout,
            TimeUnit unit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be at least 0: " + limit);
        }
        NeighborSelector wanted = selector == null ? NeighborSelector.ALL : selector;
        VrfBindings bindings = vrfs.get();
        List<WatchEntry> found = new ArrayList<>();
        WatchPosition[] at = new WatchPosition[1];
        boolean answered;
        try {
            answered = engine.get().runAndWait(() -> {
                takeAcknowledged();
                found.addAll(view.get().acknowledged(wanted, bindings::vrfOf, after, limit));
                at[0] = journal.position();
            }, timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (!answered) {
            return Optional.empty();
        }
        // sorted here, not on the engine thread, which kept at most limit + 1 of them
        found.sort((a, b) -> NeighborOrder.compare(a.record().key(), b.record().key()));
        boolean more = found.size() > limit;
        List<WatchEntry> page = more ? new ArrayList<>(found.subList(0, limit)) : found;
        return Optional.of(new WatchSnapshot(at[0], page, more));
    }

    @Override
    public ChangeFeed follow(WatchPosition from) {
        return journal.follow(from);
    }
}
