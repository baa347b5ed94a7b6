package net.neighsyncd.systemd.internal;

import net.neighsyncd.api.engine.SyncStatus;

/**
 * One look at the sync engine: its status, or why there is none.
 *
 * @param status  the engine's answer; null when there is no engine or it did not answer in time
 * @param missing why {@code status} is null
 */
record EngineObservation(SyncStatus status, String missing) {
    /** The prefix of the problem the core reports when a warm restart failed. */
    static final String WARM_RESTART_FAILED = "warm restart failed";

    static EngineObservation of(SyncStatus status) {
        return new EngineObservation(status, null);
    }

    static EngineObservation missing(String why) {
        return new EngineObservation(null, why);
    }

    /** The engine exists, answered, and has not failed a warm restart: the watchdog may be fed. */
    boolean live() {
        return status != null && status.problems().stream().noneMatch(p -> p.startsWith(WARM_RESTART_FAILED));
    }
}
