package net.neighsyncd.api.ha;

/**
 * The Redis keys of one pipeline's leadership, in the database of its APPL_DB; {@code namespace}
 * is the pipeline's ({@code ""} for the host's). docs/ha.md describes each.
 */
public final class HaKeys {
    private HaKeys() {
    }

    /** The lease: a string holding the leader's instance id, with a time to live. */
    public static String lease(String namespace) {
        return "NEIGHSYNCD_LEASE|" + namespace;
    }

    /** The fencing token: an integer incremented at each acquisition of the lease. */
    public static String fence(String namespace) {
        return "NEIGHSYNCD_FENCE|" + namespace;
    }

    /** The replication stream: one entry per change a leader applied to NEIGH_TABLE. */
    public static String stream(String namespace) {
        return "NEIGHSYNCD_APPLIED|" + namespace;
    }

    /**
     * The sequence number of the last change appended to {@link #stream}; a change to NEIGH_TABLE
     * the stream cannot describe increments it without an entry, so that every follower sees a gap
     * and reads the table again.
     */
    public static String sequence(String namespace) {
        return "NEIGHSYNCD_APPLIED_SEQ|" + namespace;
    }
}
