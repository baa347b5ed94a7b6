package net.neighsyncd.rest.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.EngineCounters;
import net.neighsyncd.api.engine.EngineGauges;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.engine.WriterStats;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.watch.WatchPosition;

/**
 * One pipeline's state as {@code GET /api/v1/status} writes it (openapi.json: Status).
 *
 * @param start          what this start wrote to the warm-restart table ({@code disabled}: a cold
 *                       start); null until decided
 * @param problems       why it is not healthy, each with its impact
 * @param kernelByFamily kernel neighbors per family
 * @param kernelByState  kernel neighbors per NUD state
 * @param lastDumpMillis the last full dump's duration; null before the first
 * @param ha             the pipeline's leadership when it is one of two instances; null for a single one
 */
record StatusDocument(String namespace, String phase, String start, boolean ready, boolean healthy,
        List<ProblemEntry> problems, String history, long revision, int kernelEntries, int desiredEntries,
        Map<String, Integer> kernelByFamily, Map<String, Integer> kernelByState, int pendingWrites,
        Double lastDumpMillis, Ha ha, Counters counters, Writer appDb) {

    /** One of two instances (docs/ha.md): the absent parts are null. */
    record Ha(String role, String instance, String leader, Long token, Long leaseAgeMillis, Long streamLag,
            long takeovers, long stepDowns) {
        static Ha of(net.neighsyncd.api.ha.LeadershipStatus l) {
            return new Ha(l.role().name().toLowerCase(java.util.Locale.ROOT), l.instanceId(), l.leader().orElse(null),
                    boxed(l.token()), boxed(l.leaseAgeMillis()), boxed(l.streamLag()), l.takeovers(), l.stepDowns());
        }

        private static Long boxed(java.util.OptionalLong v) {
            return v.isPresent() ? v.getAsLong() : null;
        }
    }

    /** A health problem: the component, its impact ({@code degraded}, {@code not_ready}) and why. */
    record ProblemEntry(String component, String impact, String reason) {
    }

    /** What the engine counted since it started. */
    record Counters(long messages, long dumpsCompleted, long overflows, long resyncsAfterOverflow,
            long configRejected, Map<String, Long> dropped) {
    }

    /** What the APPL_DB writer counted. */
    record Writer(long writtenSet, long writtenDelete, long errors, long stateReads, long batches) {
    }

    static StatusDocument of(String namespace, SyncStatus s, WatchPosition at) {
        EngineGauges g = s.gauges();
        EngineCounters c = s.counters();
        WriterStats w = s.appDb();
        Map<String, Integer> byFamily = new TreeMap<>();
        g.kernelByFamily().forEach((f, n) -> byFamily.put(f.sonicName(), n));
        Map<String, Integer> byState = new TreeMap<>();
        g.kernelByState().forEach((st, n) -> byState.put(st.label(), n));
        Map<String, Long> dropped = new TreeMap<>();
        for (DropReason r : DropReason.values()) {
            dropped.put(r.label(), c.dropped(r));
        }
        List<ProblemEntry> problems = s.problems().stream()
                .map(p -> new ProblemEntry(p.component(), label(p), p.reason())).toList();
        return new StatusDocument(namespace, s.health().phase().name().toLowerCase(java.util.Locale.ROOT),
                g.start().map(st -> st.label()).orElse(null), s.health().ready(), s.healthy(), problems,
                at.history(), at.revision(), g.kernelEntries(), g.desiredEntries(), byFamily, byState,
                g.pendingWrites(), g.lastDumpMicros().isPresent() ? g.lastDumpMicros().getAsLong() / 1000.0 : null,
                s.leadership().map(Ha::of).orElse(null),
                new Counters(c.messages(), c.dumpsCompleted(), c.overflows(), c.resyncsAfterOverflow(),
                        c.configRejected(), dropped),
                new Writer(w.writtenSet(), w.writtenDelete(), w.errors(), w.stateReads(), w.batches()));
    }

    private static String label(Problem p) {
        return p.impact().name().toLowerCase(java.util.Locale.ROOT);
    }
}
