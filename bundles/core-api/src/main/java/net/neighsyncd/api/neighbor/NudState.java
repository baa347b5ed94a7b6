package net.neighsyncd.api.neighbor;

/** Linux neighbor (NUD) states, as carried in {@code ndmsg.ndm_state}. */
public final class NudState {
    public static final int NONE = 0x00;
    public static final int INCOMPLETE = 0x01;
    public static final int REACHABLE = 0x02;
    public static final int STALE = 0x04;
    public static final int DELAY = 0x08;
    public static final int PROBE = 0x10;
    public static final int FAILED = 0x20;
    public static final int NOARP = 0x40;
    public static final int PERMANENT = 0x80;

    private static final String[] NAMES = {
        "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT"
    };

    private NudState() {
    }

    /** The state as {@code ip neigh} names it, e.g. {@code REACHABLE} or {@code STALE|PROBE}. */
    public static String describe(int state) {
        if (state == NONE) {
            return "NONE";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if ((state & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(NAMES[i]);
            }
        }
        int unknown = state & ~0xFF;
        if (unknown != 0) {
            sb.append(sb.length() > 0 ? "|" : "").append("0x").append(Integer.toHexString(unknown));
        }
        return sb.toString();
    }
}
