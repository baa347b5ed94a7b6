package net.neighsyncd.api.health;

/** What a health problem does to the daemon's readiness. */
public enum Impact {
    /**
     * Something is wrong but the daemon keeps syncing (a rejected configuration value with the
     * last good one in force, a netlink overflow whose resync is running): visible and alertable,
     * the daemon stays ready.
     */
    DEGRADED,
    /** The daemon cannot keep APPL_DB equal to the kernel now (no source, no APPL_DB, a start still running). */
    NOT_READY
}
