package net.neighsyncd.api;

import java.util.Map;

/**
 * A snapshot of the sync core.
 *
 * @param initialSyncDone  the first full dump has been diffed and its writes acknowledged by the APPL_DB sink
 * @param kernelEntries    neighbors in the kernel view (all families the rules consider)
 * @param desiredEntries   entries APPL_DB should hold
 * @param pendingWrites    changes waiting for the APPL_DB sink
 * @param counters         named counters, e.g. {@code dropped.<reason>}, {@code written.set}
 */
public record SyncStatus(boolean initialSyncDone, int kernelEntries, int desiredEntries, int pendingWrites,
        Map<String, Long> counters) {

    public SyncStatus {
        counters = Map.copyOf(counters);
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
