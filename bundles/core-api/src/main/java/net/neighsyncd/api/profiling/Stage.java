package net.neighsyncd.api.profiling;

/**
 * A stage of the sync path, in the order a kernel change passes them (docs/monitoring.md,
 * Stage latency, says exactly where each one starts and ends).
 */
public enum Stage {
    /** The netlink source: one non-blocking {@code recvmsg} that returned a datagram (the wait in {@code poll} before it not included). */
    NETLINK_READ("netlink_read"),
    /** The netlink source: one RTM_NEWNEIGH/RTM_DELNEIGH message decoded into a neighbor message, its interface name included. */
    DECODE("decode"),
    /** The engine: SONiC's rules and the vendor filters evaluated for one kernel message. */
    RULES("rules"),
    /** The engine: one key's desired entry compared with the applied one, the change (if any) handed to the writers. */
    DIFF("diff"),
    /** The APPL_DB sink: one pipeline's script calls built and queued (serialized into the connection's buffer). */
    ENCODE("encode"),
    /** The APPL_DB sink: one pipeline sent and all of its replies read. */
    REDIS_ROUNDTRIP("redis_roundtrip");

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    /** The metrics label, e.g. {@code redis_roundtrip}. */
    public String label() {
        return label;
    }
}
