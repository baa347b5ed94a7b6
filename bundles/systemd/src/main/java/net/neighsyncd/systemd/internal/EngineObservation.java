package net.neighsyncd.systemd.internal;

import net.neighsyncd.api.engine.SyncStatus;

/**
 * One look at the sync engine: its status, or why there is none.
 *
 * @param status  the engine's answer; null when there is no engine or it did not answer in time
 * @param missing why {@code status} is null
 */
record EngineObservation(SyncStatus status, String missing) {
    static EngineObservation of(SyncStatus status) {
        return new EngineObservation(status, null);
    }

    static EngineObservation missing(String why) {
        return new EngineObservation(null, why);
    }

    /** The engine exists, answered, and has not failed: the watchdog may be fed. */
    boolean live() {
        return status != null && status.health().alive();
    }
}
