package net.neighsyncd.api.ha;

/** What an instance of an HA pair does for a pipeline. */
public enum Role {
    /** Holds the lease: writes APPL_DB under its fencing token. */
    LEADER,
    /** Does not hold the lease: follows the kernel and the leader's applied changes, writes nothing. */
    STANDBY
}
