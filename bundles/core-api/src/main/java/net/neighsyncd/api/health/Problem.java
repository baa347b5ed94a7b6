package net.neighsyncd.api.health;

import java.util.Objects;

/**
 * One reason a part of the daemon is not healthy now.
 *
 * @param component who reports it, e.g. the configuration PID {@code net.neighsyncd.redis}
 * @param impact    what it does to readiness
 * @param reason    one line an operator can act on
 */
public record Problem(String component, Impact impact, String reason) implements Comparable<Problem> {

    public Problem {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(impact, "impact");
        Objects.requireNonNull(reason, "reason");
        reason = reason.replace('\n', ' ');
    }

    public static Problem degraded(String component, String reason) {
        return new Problem(component, Impact.DEGRADED, reason);
    }

    public static Problem notReady(String component, String reason) {
        return new Problem(component, Impact.NOT_READY, reason);
    }

    /** {@code <component>: <reason>}, as logs and the status page show it. */
    @Override
    public String toString() {
        return component + ": " + reason;
    }

    @Override
    public int compareTo(Problem o) {
        int c = component.compareTo(o.component);
        return c != 0 ? c : reason.compareTo(o.reason);
    }
}
