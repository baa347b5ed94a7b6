package net.neighsyncd.api.alerting;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert rule's state at one moment, immutable: what {@link AlertService#active()} lists and
 * what an {@link AlertNotifier} is told.
 *
 * @param rule the rule's name
 * @param state where the rule is in inactive → pending → firing → resolved
 * @param severity how bad it is
 * @param labels the rule's labels (sorted, unmodifiable)
 * @param description what the rule means, for a human
 * @param value the value the condition compared last ({@code NaN} when there was none)
 * @param since when the rule entered {@code state}
 * @since 1.5
 */
public record Alert(String rule, State state, Severity severity, Map<String, String> labels, String description,
        double value, Instant since) {

    /** The states of a rule. */
    public enum State {
        /** The condition does not hold. */
        INACTIVE,
        /** The condition holds, not yet for the rule's duration. */
        PENDING,
        /** The condition has held for the rule's duration and has not cleared. */
        FIRING,
        /** The rule was firing and its condition cleared (past the hysteresis margin). */
        RESOLVED
    }

    /** How bad an alert is. */
    public enum Severity {
        INFO, WARNING, CRITICAL;

        /** The lower-case name, as in configurations and metric tags. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(severity, "severity");
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        description = description == null ? "" : description;
        Objects.requireNonNull(since, "since");
    }
}
