package net.neighsyncd.core.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.EngineCounters;

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

    EngineTally() {
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new LongAdder());
        }
    }

    void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }


    EngineCounters snapshot() {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        dropped.forEach((r, n) -> d.put(r, n.sum()));
        return new EngineCounters(messages.sum(), dumpsCompleted.sum(), overflows.sum(), resyncsAfterOverflow.sum(),
                linksRemoved.sum(), changesSet.sum(), changesDelete.sum(), configRejected.sum(), dumpsTimed.sum(),
                dumpMicros.sum(), d);
    }
}
