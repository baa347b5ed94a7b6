package net.neighsyncd.api.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * The engine's monotonic counters since its activation.
 *
 * @param messages             kernel neighbor messages taken
 * @param dumpsCompleted       full kernel dumps diffed
 * @param overflows            netlink overflows the source reported
 * @param resyncsAfterOverflow dumps that repaired an overflow
 * @param linksRemoved         interfaces the source reported gone
 * @param changesSet           sets the engine produced for APPL_DB
 * @param changesDelete        deletes the engine produced for APPL_DB
 * @param configRejected       engine configurations rejected (the last good one kept)
 * @param dumpsTimed           full dumps timed from their start
 * @param dumpMicros           their summed duration in microseconds, writes not included
 * @param dropped              messages dropped, by reason (every reason present)
 */
public record EngineCounters(long messages, long dumpsCompleted, long overflows, long resyncsAfterOverflow,
        long linksRemoved, long changesSet, long changesDelete, long configRejected, long dumpsTimed,
        long dumpMicros, Map<DropReason, Long> dropped) {

    public EngineCounters {
        Map<DropReason, Long> all = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            all.put(r, dropped.getOrDefault(r, 0L));
        }
        dropped = java.util.Collections.unmodifiableMap(all);
    }

    /** Messages dropped for this reason. */
    public long dropped(DropReason reason) {
        return dropped.get(reason);
    }
}
