package net.neighsyncd.core.internal;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.EngineCounters;
import net.neighsyncd.api.profiling.Stage;
import net.neighsyncd.api.profiling.StageHistogram;
import net.neighsyncd.stagetimer.StageRecorder;

/** The engine's monotonic counters, safe to bump from any thread; {@link #snapshot} is the API's typed view. */
final class EngineTally {
    final LongAdder messages = new LongAdder();
    final LongAdder dumpsCompleted = new LongAdder();
    final LongAdder overflows = new LongAdder();
    final LongAdder resyncsAfterOverflow = new LongAdder();
    final LongAdder linksRemoved = new LongAdder();
    final LongAdder changesSet = new LongAdder();
    final LongAdder changesDelete = new LongAdder();
    final LongAdder configRejected = new LongAdder();
    final LongAdder dumpsTimed = new LongAdder();
    final LongAdder dumpMicros = new LongAdder();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    /** One kernel message in this many has its rules and its diff timed: each takes a few clocks' reads. */
    static final int MESSAGE_SAMPLE_EVERY = 16;
    /** SONiC's rules and the vendor filters, per kernel message (sampled). */
    final StageRecorder rules = new StageRecorder(Stage.RULES, MESSAGE_SAMPLE_EVERY);
    /** Desired against applied for the message's key, the change handed on (sampled with the rules). */
    final StageRecorder diff = new StageRecorder(Stage.DIFF, MESSAGE_SAMPLE_EVERY);

    EngineTally() {
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new LongAdder());
        }
    }

    void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }


    /** The engine's stage histograms: rules and diff. */
    List<StageHistogram> stages() {
        return List.of(rules.snapshot(), diff.snapshot());
    }

    EngineCounters snapshot() {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        dropped.forEach((r, n) -> d.put(r, n.sum()));
        return new EngineCounters(messages.sum(), dumpsCompleted.sum(), overflows.sum(), resyncsAfterOverflow.sum(),
                linksRemoved.sum(), changesSet.sum(), changesDelete.sum(), configRejected.sum(), dumpsTimed.sum(),
                dumpMicros.sum(), d);
    }
}
