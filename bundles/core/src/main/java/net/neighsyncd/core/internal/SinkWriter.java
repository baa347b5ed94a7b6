package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.engine.ReconcilableSink;
import net.neighsyncd.api.engine.SinkException;
import net.neighsyncd.api.tracing.BatchTracer;
import net.neighsyncd.api.tracing.TracedChange;
import net.neighsyncd.api.tracing.WrittenBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer thread per sink. Changes wait in an outbox that keeps one change per key (the
 * latest wins), so a burst on one key costs one write. A failed batch goes back into the
 * outbox under any newer change of the same key and is retried with capped backoff: nothing
 * is dropped while the sink is away, and memory stays bounded by the number of keys.
 */
final class SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SinkWriter.class);

    private final String name;
    /** What the writer thread is named after: the name, with the pipeline's namespace when it has one. */
    private String threadLabel;
    private final WriterTally tally;
    private final Consumer<List<NeighborChange>> onApplied;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition stopping = lock.newCondition();
    private final Outbox outbox = new Outbox();
    /** The oldest kernel read time of the batch in flight (0: none); guarded by the lock. */
    private long inFlightOldestReadNanos;
    private final List<Runnable> idleWaiters = new ArrayList<>();
    private NeighborSink sink;
    private boolean inFlight;
    private volatile boolean failing;
    private boolean running = true;
    /** While held, the writer neither reads the store back nor writes: the start decision is pending. */
    private boolean held;
    private volatile WriterSettings settings;
    private Thread thread;
    /** {@link System#nanoTime} when the outbox last went from empty to holding a change; 0 while empty. Guarded by the lock. */
    private long firstWaitingNanos;
    /** The AutoTuner, used by the writer thread only; null until the AutoTuner is first on. */
    private BatchTuner tuner;
    /** Told of every batch written or failed; null when none is bound, and then nothing is built for it. */
    private volatile BatchTracer tracer;
    /** Calls of the tracer that threw (writer thread writes). */
    private volatile long tracerFailures;

    /**
     * Batch size, retry backoff ({@code retryMaxMillis >= retryInitialMillis}), how often an
     * idle writer asks a {@link ReconcilableSink} whether its store is still what was applied, and
     * the AutoTuner (when on, {@code maxBatch} is the most it may hand over in one call).
     */
    record WriterSettings(int maxBatch, long retryInitialMillis, long retryMaxMillis, long auditMillis,
            AutoTune autoTune) {

        /** With the AutoTuner off: {@code maxBatch} changes per call, no linger. */
        WriterSettings(int maxBatch, long retryInitialMillis, long retryMaxMillis, long auditMillis) {
            this(maxBatch, retryInitialMillis, retryMaxMillis, auditMillis, AutoTune.OFF);
        }
    }

    /**
     * The AutoTuner's settings: on or off, the smallest batch limit it may set ({@code minBatch <=
     * maxBatch}), the latency target for a change's wait in the outbox plus its call, and the longest
     * it may wait for more changes before a call ({@code maxLingerMicros < latencyTargetMillis}).
     */
    record AutoTune(boolean enabled, int minBatch, long latencyTargetMillis, long maxLingerMicros) {
        static final AutoTune OFF = new AutoTune(false, 1, 2, 0);

        BatchTuner.Limits limits(int maxBatch) {
            return new BatchTuner.Limits(minBatch, maxBatch, TimeUnit.MILLISECONDS.toNanos(latencyTargetMillis),
                    TimeUnit.MICROSECONDS.toNanos(maxLingerMicros));
        }
    }

    /**
     * A waiting change and when the engine took the oldest kernel message among those it
     * coalesces ({@link System#nanoTime()}; 0 when no kernel message caused it).
     */
    record Pending(NeighborChange change, long readNanos) {
    }

    /** The older of two read times, 0 meaning none. */
    static long oldest(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }

    private final Consumer<StateRead> onStateRead;
    private final java.util.function.LongSupplier tunerClock;
    private long nextAuditNanos;
    private boolean auditNow = true;
    /** The next audit reads the store back whatever the sink says of its doubt (a takeover); guarded by the lock. */
    /** Guarded by the lock: read-backs asked by {@link #readBackNext()}. */
    private long readBacksAsked;
    /** Guarded by the lock: the last of {@link #readBacksAsked} a read-back has answered. */
    private long readBacksDone;
    /** A read-back was handed out and not yet {@link StateRead#loaded() loaded}: the writer waits. */
    private boolean awaitingLoad;

    /** {@code tally} counts what this writer does. */
    SinkWriter(String name, WriterSettings settings, WriterTally tally, Consumer<List<NeighborChange>> onApplied) {
        this(name, settings, tally, onApplied, StateRead::loaded);
    }

    /**
     * {@code onStateRead} receives each read-back of a {@link ReconcilableSink}; the writer
     * writes nothing more until its receiver calls {@link StateRead#loaded()}.
     */
    SinkWriter(String name, WriterSettings settings, WriterTally tally, Consumer<List<NeighborChange>> onApplied,
            Consumer<StateRead> onStateRead) {
        this(name, settings, tally, onApplied, onStateRead, System::nanoTime);
    }

    /**
     * As above, with the clock the AutoTuner reads the sink's round trips and the calls' spacing
     * from: {@link System#nanoTime} but in tests, where a fake sink advances a fake clock by the
     * time it says it took (so that the tuner's decisions do not depend on the machine's load).
     */
    SinkWriter(String name, WriterSettings settings, WriterTally tally, Consumer<List<NeighborChange>> onApplied,
            Consumer<StateRead> onStateRead, java.util.function.LongSupplier tunerClock) {
        this.tunerClock = tunerClock;
        this.name = name;
        this.settings = settings;
        this.tally = tally;
        this.onApplied = onApplied;
        this.onStateRead = onStateRead;
        announce(settings);
    }

    /** Shows the batch limit of {@code s} in the status before the writer's next decision. */
    private void announce(WriterSettings s) {
        if (!s.autoTune().enabled()) {
            tally.fixed(s.maxBatch());
        } else if (!tally.tuning().enabled()) {
            tally.tuned(Math.min(s.maxBatch(), s.autoTune().minBatch()), 0, BatchTuner.Adjustment.NONE);
        }
    }

    /**
     * What a {@link ReconcilableSink} holds, read back while nothing was in flight. Its receiver
     * (the engine, on its own thread) takes {@link #withWaitingChanges()} and then calls
     * {@link #loaded()}; meanwhile the writer writes nothing, so every change the engine has
     * produced by then is either in the store as read or still waiting here, and none is lost
     * from the engine's view of what is applied, nor written twice.
     */
    final class StateRead {
        private final Map<NeighborKey, NeighborRecord> stored;
        private boolean done;

        /** A takeover's read: what waits from an earlier tenure is dropped, the diff against the read makes it anew. */
        private final boolean takeover;

        private StateRead(Map<NeighborKey, NeighborRecord> stored, boolean takeover) {
            this.stored = stored;
            this.takeover = takeover;
        }

        /** What the store held when read back, without the changes waiting to be written. */
        Map<NeighborKey, NeighborRecord> stored() {
            return java.util.Collections.unmodifiableMap(stored);
        }

        /**
         * What the store will hold once the changes waiting now are written: the read-back with
         * them on top. A waiting change the store already reflects is dropped (it needs no
         * write), unless it also removes a host route.
         */
        Map<NeighborKey, NeighborRecord> withWaitingChanges() {
            Map<NeighborKey, NeighborRecord> state = new HashMap<>(stored);
            lock.lock();
            try {
                if (takeover) {
                    // changes held back since an earlier tenure may be stale: one SET of a MAC the
                    // store no longer holds would make a diff rewrite the store's own value
                    outbox.removeIf(c -> true);
                    return state;
                }
                outbox.removeIf(c -> c.op() == NeighborChange.Op.SET
                        ? c.record().equals(state.put(c.key(), c.record())) && c.hostRouteVrf() == null
                        : state.remove(c.key()) == null);
            } finally {
                lock.unlock();
            }
            return state;
        }

        /** The receiver has taken the read-back; the writer goes on. Idempotent. */
        void loaded() {
            List<Runnable> ready;
            lock.lock();
            try {
                if (done) {
                    return;
                }
                done = true;
                awaitingLoad = false;
                ready = idleWaitersIfIdle();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            ready.forEach(Runnable::run);
        }
    }

    /** The receiver of read-backs is gone (the engine stopped): the writer no longer waits for it. */
    void stopWaitingForLoad() {
        lock.lock();
        try {
            awaitingLoad = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Names the thread (before {@link #start()}) after {@code label} instead of the sink's name. */
    void threadLabel(String label) {
        threadLabel = label;
    }

    void start() {
        thread = new Thread(this::run, "neighsyncd-writer[" + (threadLabel != null ? threadLabel : name) + "]");
        thread.setDaemon(true);
        thread.start();
    }

    void settings(WriterSettings next) {
        settings = next;
        announce(next);
    }

    /**
     * Sets or clears the tracer told of every batch from the next one on. Without one the writer
     * reads this field once per batch and builds nothing for it.
     */
    void tracer(BatchTracer next) {
        tracer = next;
    }

    /** How often the tracer threw; each time the writer went on. */
    long tracerFailures() {
        return tracerFailures;
    }

    /** Sets or clears the sink; while there is none, changes wait. */
    void sink(NeighborSink next) {
        lock.lock();
        try {
            sink = next;
            auditNow = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void offer(NeighborChange change) {
        offer(change, 0);
    }

    /**
     * Queues {@code change}; {@code readNanos} is when the engine took the kernel message that
     * caused it (0 when none). A key that is already waiting keeps its older read time, so the
     * latency recorded once it is written is that of the oldest message it carries.
     */
    void offer(NeighborChange change, long readNanos) {
        lock.lock();
        try {
            if (outbox.isEmpty()) {
                firstWaitingNanos = System.nanoTime();
            }
            outbox.offer(change, readNanos);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the writer's next call an audit that reads a {@link ReconcilableSink}'s store back even
     * when the sink is not in doubt, and hands it over as every read-back: what an instance that
     * takes over from another must do before it writes. Repeated until a read succeeds.
     */
    void readBackNext() {
        lock.lock();
        try {
            readBacksAsked++;
            auditNow = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Keeps the writer from touching the store until {@link #release()}. */
    void hold() {
        lock.lock();
        try {
            held = true;
        } finally {
            lock.unlock();
        }
    }

    void release() {
        List<Runnable> ready = List.of();
        lock.lock();
        try {
            held = false;
            ready = idleWaitersIfIdle();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        ready.forEach(Runnable::run);
    }

    /** True from a failed call until the next successful one. */
    boolean failing() {
        return failing;
    }

    /**
     * {@link System#nanoTime} of the kernel message behind the oldest change not yet
     * acknowledged (waiting or in flight); 0 when none waits or no waiting change came from the
     * kernel. A full scan (a failed batch goes back behind newer entries): called per status
     * snapshot, not per change.
     */
    long oldestPendingReadNanos() {
        lock.lock();
        try {
            long oldest = inFlight ? inFlightOldestReadNanos : 0;
            return oldest(oldest, outbox.oldestReadNanos());
        } finally {
            lock.unlock();
        }
    }

    int pending() {
        lock.lock();
        try {
            return outbox.size() + (inFlight ? 1 : 0);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} once everything offered so far has been applied (now, if it has). */
    void whenIdle(Runnable action) {
        lock.lock();
        try {
            if (outbox.isEmpty() && !inFlight && !held && !awaitingLoad && !storeUnconfirmed()) {
                action.run();
            } else {
                idleWaiters.add(action);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the outbox is empty or the time is up; true when empty. */
    boolean flush(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lock();
        try {
            while (!outbox.isEmpty() || inFlight) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    void stop() throws InterruptedException {
        lock.lock();
        try {
            running = false;
            changed.signalAll();
            stopping.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void run() {
        long backoff = 0;
        while (true) {
            List<NeighborChange> batch;
            List<Pending> taken = null;
            NeighborSink target;
            boolean audit;
            BatchTracer traceTo = null;
            long takenNanos = 0;
            lock.lock();
            try {
                while (running && (held || awaitingLoad || sink == null || (outbox.isEmpty() && !auditDue()))) {
                    if (sink instanceof ReconcilableSink && !held && !awaitingLoad) {
                        changed.awaitNanos(Math.max(1, nextAuditNanos - System.nanoTime()));
                    } else {
                        changed.awaitUninterruptibly();
                    }
                }
                if (!running) {
                    return;
                }
                target = sink;
                audit = target instanceof ReconcilableSink && auditDue();
                batch = null;
                if (!audit) {
                    int limit = settings.maxBatch();
                    WriterSettings s = settings;
                    if (s.autoTune().enabled()) {
                        BatchTuner t = tuner(s);
                        long now = System.nanoTime();
                        BatchTuner.Decision d = t.next(outbox.size(), now - firstWaitingNanos);
                        limit = d.batchLimit();
                        tally.tuned(limit, d.lingerNanos(), d.adjustment());
                        if (d.lingerNanos() > 0 && !lingered(target, limit, now + d.lingerNanos())) {
                            if (!running) {
                                return;
                            }
                            continue;
                        }
                    } else {
                        tally.fixed(limit);
                    }
                    taken = take(limit);
                    traceTo = tracer;
                    if (traceTo != null) {
                        takenNanos = System.nanoTime();
                    }
                    batch = new ArrayList<>(taken.size());
                    long oldestRead = 0;
                    for (Pending p : taken) {
                        batch.add(p.change());
                        if (p.readNanos() != 0) {
                            oldestRead = oldestRead == 0 ? p.readNanos() : oldest(oldestRead, p.readNanos());
                        }
                    }
                    inFlightOldestReadNanos = oldestRead;
                    inFlight = true;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                if (audit) {
                    audit((ReconcilableSink) target);
                } else {
                    long started = System.nanoTime();
                    long tunerStarted = tunerClock.getAsLong();
                    try {
                        target.apply(batch);
                    } catch (SinkException | RuntimeException e) {
                        trace(traceTo, taken, takenNanos, started, System.nanoTime(), e);
                        throw e;
                    }
                    long done = System.nanoTime();
                    trace(traceTo, taken, takenNanos, started, done, null);
                    if (tuner != null && settings.autoTune().enabled()) {
                        tuner.applied(batch.size(), tunerClock.getAsLong() - tunerStarted);
                    }
                    // times first: whoever reads the writes counted reads their latency samples too
                    recordTimes(taken, started, done);
                    count(batch);
                }
                if (failing) {
                    LOG.info("sink {} recovered; writes resumed", name);
                    failing = false;
                }
                backoff = 0;
                if (!audit) {
                    afterSuccess(batch);
                }
            } catch (SinkException | RuntimeException e) {
                tally.errors.increment();
                if (!failing) {
                    LOG.warn("sink {} failed{}; retrying with backoff: {}", name,
                            audit ? " to report its state" : " to apply " + batch.size() + " changes", e.toString());
                    failing = true;
                } else {
                    LOG.debug("sink {} still failing: {}", name, e.toString());
                }
                if (taken != null) {
                    putBack(taken);
                }
                lock.lock();
                try {
                    auditNow = true;
                } finally {
                    lock.unlock();
                }
                WriterSettings s = settings;
                backoff = backoff == 0 ? s.retryInitialMillis() : Math.min(backoff * 2, s.retryMaxMillis());
                sleepUnlessStopped(backoff);
            }
        }
    }

    /**
     * Writer thread: hands the batch just written (or failed, {@code failure}) to {@code to}, when
     * a tracer was bound as it was taken. A tracer that throws is logged (at warn the first time)
     * and the writer goes on.
     */
    private void trace(BatchTracer to, List<Pending> taken, long takenNanos, long started, long ended,
            Exception failure) {
        if (to == null) {
            return;
        }
        try {
            List<TracedChange> changes = new ArrayList<>(taken.size());
            for (Pending p : taken) {
                changes.add(new TracedChange(p.change(), p.readNanos()));
            }
            to.written(new WrittenBatch(name, takenNanos, started, ended, changes,
                    failure == null ? null : failure.toString()));
        } catch (RuntimeException e) {
            long failures = ++tracerFailures;
            if (failures == 1) {
                LOG.warn("batch tracer {} failed on a batch of sink {}; writing goes on (later failures at debug)",
                        to.getClass().getName(), name, e);
            } else {
                LOG.debug("batch tracer {} failed again ({} times)", to.getClass().getName(), failures, e);
            }
        }
    }

    /** Writer thread: the AutoTuner, made or given the bounds of {@code s}. */
    private BatchTuner tuner(WriterSettings s) {
        BatchTuner.Limits limits = s.autoTune().limits(s.maxBatch());
        if (tuner == null) {
            tuner = new BatchTuner(limits, tunerClock);
        } else if (!tuner.limits().equals(limits)) {
            tuner.limits(limits);
        }
        return tuner;
    }

    /**
     * Caller holds the lock: waits until {@code untilNanos} for the outbox to hold {@code limit}
     * changes. True when the writer is to call {@code target} now; false when it must look again
     * (stopped, held, the sink changed, or the outbox emptied by a read-back).
     */
    private boolean lingered(NeighborSink target, int limit, long untilNanos) throws InterruptedException {
        while (running && !held && !awaitingLoad && sink == target && outbox.size() < limit) {
            long left = untilNanos - System.nanoTime();
            if (left <= 0) {
                break;
            }
            changed.awaitNanos(left);
        }
        return running && !held && !awaitingLoad && sink == target && !outbox.isEmpty();
    }

    /**
     * Caller holds the lock: a store that can be read back has not yet been asked whether it is
     * what was applied (at the start, after a new sink or a failure): nothing counts as written
     * until it answers.
     */
    private boolean storeUnconfirmed() {
        return sink instanceof ReconcilableSink && auditNow;
    }

    /** Caller holds the lock. */
    private boolean auditDue() {
        return sink instanceof ReconcilableSink && (auditNow || System.nanoTime() - nextAuditNanos >= 0);
    }

    /**
     * Asks the sink whether its store is still what was applied; if not, reads it back and hands
     * it to the engine, and waits for the engine to take it before writing again.
     */
    private void audit(ReconcilableSink target) throws SinkException {
        long asked;
        boolean forced;
        lock.lock();
        try {
            asked = readBacksAsked;
            forced = asked > readBacksDone;
        } finally {
            lock.unlock();
        }
        boolean doubt = forced || target.stateInDoubt();
        Map<NeighborKey, NeighborRecord> stored = doubt ? target.readState() : null;
        List<Runnable> ready;
        lock.lock();
        try {
            if (forced && stored != null) {
                // a takeover asked again while this read ran is answered by the next one
                readBacksDone = Math.max(readBacksDone, asked);
            }
            auditNow = false;
            nextAuditNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.auditMillis());
            ready = stored == null ? idleWaitersIfIdle() : List.of();
            if (stored != null) {
                awaitingLoad = true;
            }
        } finally {
            lock.unlock();
        }
        if (stored == null) {
            ready.forEach(Runnable::run);
            return;
        }
        tally.stateReads.increment();
        StateRead read = new StateRead(stored, forced);
        try {
            onStateRead.accept(read);
        } catch (RuntimeException e) {
            read.loaded();
            throw e;
        }
    }

    /** Caller holds the lock: the waiters to run now when nothing is pending or in flight. */
    private List<Runnable> idleWaitersIfIdle() {
        if (!outbox.isEmpty() || inFlight || awaitingLoad || storeUnconfirmed() || idleWaiters.isEmpty()) {
            return List.of();
        }
        List<Runnable> ready = new ArrayList<>(idleWaiters);
        idleWaiters.clear();
        return ready;
    }

    private List<Pending> take(int max) {
        List<Pending> batch = outbox.take(max);
        if (outbox.isEmpty()) {
            firstWaitingNanos = 0;
        }
        return batch;
    }

    private void afterSuccess(List<NeighborChange> batch) {
        List<Runnable> ready = List.of();
        lock.lock();
        try {
            inFlight = false;
            ready = idleWaitersIfIdle();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            onApplied.accept(batch);
        } catch (RuntimeException e) {
            LOG.warn("change listener failed after sink {} applied {} changes", name, batch.size(), e);
        }
        ready.forEach(Runnable::run);
    }

    private void putBack(List<Pending> batch) {
        lock.lock();
        try {
            for (Pending p : batch) {
                // a newer change of the key wins, but the latency counts from the older message
                outbox.putBack(p.change(), p.readNanos());
            }
            if (firstWaitingNanos == 0 && !outbox.isEmpty()) {
                firstWaitingNanos = System.nanoTime();
            }
            inFlight = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Batch size, apply() time and, per change a kernel message caused, its end-to-end latency. */
    private void recordTimes(List<Pending> taken, long started, long done) {
        tally.batches.increment();
        tally.batchChanges.add(taken.size());
        tally.applyMicros.add(Math.max(0, (done - started) / 1_000));
        for (Pending p : taken) {
            if (p.readNanos() != 0) {
                tally.latency(done - p.readNanos());
            }
        }
    }

    private void count(List<NeighborChange> batch) {
        long sets = batch.stream().filter(c -> c.op() == NeighborChange.Op.SET).count();
        tally.writtenSet.add(sets);
        tally.writtenDelete.add(batch.size() - sets);
    }

    private void sleepUnlessStopped(long millis) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                stopping.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
