package net.neighsyncd.api.engine;

/** Where the sync engine is in its life. */
public enum Phase {
    /** The start sequence runs: waiting for the APPL_DB sink, deciding cold or warm, a warm start's waits. */
    STARTING,
    /** The first full dump is being diffed and written. */
    SYNCING,
    /** The first full sync is written to APPL_DB; changes follow as they come. */
    IN_SYNC,
    /** A fatal error (a warm restart that cannot complete): the process is being stopped with status 1. */
    FAILED
}
