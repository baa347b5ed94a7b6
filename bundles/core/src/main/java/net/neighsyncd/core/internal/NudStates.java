package net.neighsyncd.core.internal;

import java.util.List;
import net.neighsyncd.api.neighbor.NudState;

/** Names of the kernel's NUD states as the metrics label them. */
final class NudStates {
    /** Every name {@link #name} returns; "other" covers a value that is none or several of the states. */
    static final List<String> NAMES = List.of("incomplete", "reachable", "stale", "delay", "probe", "failed", "noarp",
            "permanent", "other");

    private NudStates() {
    }

    static String name(int state) {
        return switch (state) {
            case NudState.INCOMPLETE -> "incomplete";
            case NudState.REACHABLE -> "reachable";
            case NudState.STALE -> "stale";
            case NudState.DELAY -> "delay";
            case NudState.PROBE -> "probe";
            case NudState.FAILED -> "failed";
            case NudState.NOARP -> "noarp";
            case NudState.PERMANENT -> "permanent";
            default -> "other";
        };
    }
}
