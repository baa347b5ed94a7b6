package net.neighsyncd.alerting.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import net.neighsyncd.api.alerting.Alert.Severity;

/**
 * One alert rule as configured, validated: {@link #parse} rejects a bad value with an
 * {@link IllegalArgumentException} whose message names the key and the reason.
 */
record RuleSpec(String name, String meter, Map<String, String> tags, Aggregation aggregation, int windowSeconds,
        Condition condition, double threshold, double threshold2, double hysteresis, int forSeconds,
        Severity severity, Map<String, String> labels, String description, int intervalMillis) {

    /** The meter's value; its per-second rate over the window; a timer's mean over the window. */
    enum Aggregation { VALUE, RATE, MEAN }

    enum Condition { ABOVE, BELOW, BETWEEN, RATE_OF_CHANGE }

    static final int DEFAULT_INTERVAL_MILLIS = 1000;
    static final int DEFAULT_WINDOW_SECONDS = 60;

    /** Parses a configuration's properties (strings from FileInstall, or typed values). */
    static RuleSpec parse(Map<String, ?> p) {
        String name = string(p, "name", null);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: missing");
        }
        String meter = string(p, "meter", null);
        if (meter == null || meter.isBlank()) {
            throw new IllegalArgumentException("meter: missing (a Micrometer meter name, e.g. neighsyncd.healthy)");
        }
        if (!meter.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
            throw new IllegalArgumentException("meter: '" + meter + "' is not a meter name (letters, digits, '.', '_')");
        }
        Map<String, String> tags = pairs(p, "tags");
        Aggregation aggregation = enumValue(p, "aggregation", Aggregation.class, Aggregation.VALUE);
        int window = integer(p, "windowSeconds", DEFAULT_WINDOW_SECONDS, 1, 86_400);
        Condition condition = enumValue(p, "condition", Condition.class, null);
        if (condition == null) {
            throw new IllegalArgumentException("condition: missing (above, below, between or rate_of_change)");
        }
        double threshold = number(p, "threshold", Double.NaN);
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold: missing");
        }
        double threshold2 = number(p, "threshold2", Double.NaN);
        if (condition == Condition.BETWEEN) {
            if (Double.isNaN(threshold2)) {
                throw new IllegalArgumentException("threshold2: missing (the upper bound of between)");
            }
            if (threshold2 < threshold) {
                throw new IllegalArgumentException("threshold2: " + threshold2 + " is below threshold " + threshold);
            }
        }
        double hysteresis = number(p, "hysteresis", 0);
        if (!(hysteresis >= 0) || Double.isInfinite(hysteresis)) {
            throw new IllegalArgumentException("hysteresis: " + hysteresis + " must be a finite number >= 0");
        }
        int forSeconds = integer(p, "forSeconds", 0, 0, 86_400);
        Severity severity = enumValue(p, "severity", Severity.class, Severity.WARNING);
        Map<String, String> labels = pairs(p, "labels");
        String description = string(p, "description", "");
        int interval = integer(p, "intervalMillis", DEFAULT_INTERVAL_MILLIS, 100, 3_600_000);
        return new RuleSpec(name.trim(), meter.trim(), tags, aggregation, window, condition, threshold, threshold2,
                hysteresis, forSeconds, severity, labels, description, interval);
    }

    /** Whether a change from this to {@code other} makes the samples of a rate window meaningless. */
    boolean sameSeries(RuleSpec other) {
        return meter.equals(other.meter) && tags.equals(other.tags) && aggregation == other.aggregation
                && windowSeconds == other.windowSeconds;
    }

    /** Whether the window of past values is needed: a rate, or a rate of change. */
    boolean needsWindow() {
        return aggregation != Aggregation.VALUE || condition == Condition.RATE_OF_CHANGE;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name).append(": ");
        b.append(switch (aggregation) {
            case RATE -> "rate(" + meter + tags + "[" + windowSeconds + "s])";
            case MEAN -> "mean(" + meter + tags + "[" + windowSeconds + "s])";
            case VALUE -> meter + tags;
        });
        switch (condition) {
            case ABOVE -> b.append(" above ").append(threshold);
            case BELOW -> b.append(" below ").append(threshold);
            case BETWEEN -> b.append(" between ").append(threshold).append(" and ").append(threshold2);
            case RATE_OF_CHANGE -> b.append(" changing faster than ").append(threshold).append("/s over ")
                    .append(windowSeconds).append("s");
        }
        b.append(" for ").append(forSeconds).append("s, hysteresis ").append(hysteresis).append(", ")
                .append(severity.label()).append(", every ").append(intervalMillis).append("ms");
        return b.toString();
    }

    private static String string(Map<String, ?> p, String key, String dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String[] a) {
            return String.join(",", a);
        }
        return v.toString().trim();
    }

    private static int integer(Map<String, ?> p, String key, int dflt, int min, int max) {
        String s = string(p, key, null);
        if (s == null || s.isEmpty()) {
            return dflt;
        }
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + s + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + ": " + v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    private static double number(Map<String, ?> p, String key, double dflt) {
        String s = string(p, key, null);
        if (s == null || s.isEmpty()) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(s);
            if (Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + s + "' is not a number");
        }
    }

    private static <E extends Enum<E>> E enumValue(Map<String, ?> p, String key, Class<E> type, E dflt) {
        String s = string(p, key, null);
        if (s == null || s.isEmpty()) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(key + ": '" + s + "' is not one of " + allowed);
        }
    }

    /** {@code k=v,k=v} (also a String[] of {@code k=v}), sorted. */
    static Map<String, String> pairs(Map<String, ?> p, String key) {
        String s = string(p, key, "");
        Map<String, String> out = new TreeMap<>();
        for (String part : s.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(key + ": '" + t + "' is not key=value");
            }
            out.put(t.substring(0, eq).trim(), t.substring(eq + 1).trim());
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(out));
    }
}
