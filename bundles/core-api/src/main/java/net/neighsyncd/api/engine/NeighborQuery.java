package net.neighsyncd.api.engine;

/**
 * Which applied entries {@link SyncEngine#neighbors(NeighborQuery)} lists.
 *
 * @param text  a part of the key or the MAC, ignoring case; empty or null: any
 * @param vrf   the VRF the entry's interface is bound to ({@code default} for none); null: any
 * @param limit at most this many entries, the first by key
 * @since 1.3
 */
public record NeighborQuery(String text, String vrf, int limit) {
    public NeighborQuery {
        text = text == null ? "" : text;
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be at least 0: " + limit);
        }
    }

    /** Every entry, up to {@code limit}. */
    public static NeighborQuery all(int limit) {
        return new NeighborQuery("", null, limit);
    }
}
