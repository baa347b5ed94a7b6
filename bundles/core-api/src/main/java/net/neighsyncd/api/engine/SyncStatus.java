package net.neighsyncd.api.engine;

import java.util.Map;
import java.util.Set;

/**
 * A snapshot of the sync core.
 *
 * @param initialSyncDone  the first full dump has been diffed and its writes acknowledged by the APPL_DB sink
 * @param kernelEntries    neighbors in the kernel view (all families the rules consider)
 * @param desiredEntries   entries APPL_DB should hold
 * @param pendingWrites    changes waiting for the APPL_DB sink
 * @param counters         named counters, e.g. {@code dropped.<reason>}, {@code written.set}
 * @param problems         why the engine is degraded now (e.g. a netlink overflow not yet repaired by a
 *                         resync, APPL_DB writes failing); empty when healthy
 * @since 1.1
 */
public record SyncStatus(boolean initialSyncDone, int kernelEntries, int desiredEntries, int pendingWrites,
        Map<String, Long> counters, Set<String> problems) {

    public SyncStatus {
        counters = Map.copyOf(counters);
        problems = Set.copyOf(problems);
    }

    /** No problem now. */
    public boolean healthy() {
        return problems.isEmpty();
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
