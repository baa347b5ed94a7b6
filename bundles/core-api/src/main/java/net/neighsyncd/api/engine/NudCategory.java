package net.neighsyncd.api.engine;

import net.neighsyncd.api.neighbor.NudState;

/** The kernel's NUD states as the engine counts its kernel view; {@link #OTHER} is none or several of them. */
public enum NudCategory {
    INCOMPLETE, REACHABLE, STALE, DELAY, PROBE, FAILED, NOARP, PERMANENT, OTHER;

    /** The category of a kernel {@code ndm_state} value. */
    public static NudCategory of(int state) {
        return switch (state) {
            case NudState.INCOMPLETE -> INCOMPLETE;
            case NudState.REACHABLE -> REACHABLE;
            case NudState.STALE -> STALE;
            case NudState.DELAY -> DELAY;
            case NudState.PROBE -> PROBE;
            case NudState.FAILED -> FAILED;
            case NudState.NOARP -> NOARP;
            case NudState.PERMANENT -> PERMANENT;
            default -> OTHER;
        };
    }

    /** The metrics label, e.g. {@code reachable}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
