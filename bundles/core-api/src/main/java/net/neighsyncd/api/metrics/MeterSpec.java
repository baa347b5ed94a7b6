package net.neighsyncd.api.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * One meter a {@link MeterSource} publishes: what it is called and how its value is read.
 *
 * <p>Names are Micrometer's dotted names, e.g. {@code neighsyncd.redis.roundtrips}; Micrometer's
 * Prometheus naming turns dots into underscores, appends the base unit to a gauge's name
 * ({@code neighsyncd.netlink.receive.buffer} with base unit {@code bytes} is scraped as
 * {@code neighsyncd_netlink_receive_buffer_bytes}) and {@code _total} to a counter's
 * ({@code neighsyncd_redis_roundtrips_total}). Tags become labels: their values must come from a
 * small fixed set (a message type, an outcome), never from data such as addresses, interface
 * or namespace names, since every distinct value is a time series of its own. The meters of one
 * name should all carry the same tag keys.
 *
 * @param name        the dotted meter name: a lower-case letter, then lower-case letters, digits, {@code _} and {@code .}
 * @param kind        counter or gauge
 * @param description what the meter measures, for a human (the Prometheus {@code HELP} text); not blank
 * @param baseUnit    the unit, e.g. {@code bytes} or {@code seconds}; {@code null} when it is a plain number
 * @param tags        tag keys (named like meters) and values; copied, unmodifiable; empty when {@code null}
 * @param value       reads the current value at scrape time, from any thread; must be cheap. A counter's
 *                    value only grows (it may start again at 0 with a new service registration)
 * @since 1.6
 */
public record MeterSpec(String name, Kind kind, String description, String baseUnit, Map<String, String> tags,
        DoubleSupplier value) {

    /** How a meter's value is to be read. */
    public enum Kind {
        /** A count that only grows: Prometheus {@code counter}, scraped with {@code _total}. */
        COUNTER,
        /** A value that goes up and down: Prometheus {@code gauge}. */
        GAUGE
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]*");

    public MeterSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("meter name '" + name + "' does not match " + NAME.pattern());
        }
        Objects.requireNonNull(kind, "kind");
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("meter " + name + ": the description is blank");
        }
        if (baseUnit != null && baseUnit.isBlank()) {
            throw new IllegalArgumentException("meter " + name + ": the base unit is blank (null when there is none)");
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        for (String key : tags.keySet()) {
            if (!NAME.matcher(key).matches()) {
                throw new IllegalArgumentException("meter " + name + ": tag key '" + key + "' does not match "
                        + NAME.pattern());
            }
        }
        Objects.requireNonNull(value, "value");
    }

    /** A counter without a unit. */
    public static MeterSpec counter(String name, String description, Map<String, String> tags, DoubleSupplier value) {
        return new MeterSpec(name, Kind.COUNTER, description, null, tags, value);
    }

    /** A gauge; {@code baseUnit} may be {@code null}. */
    public static MeterSpec gauge(String name, String baseUnit, String description, Map<String, String> tags,
            DoubleSupplier value) {
        return new MeterSpec(name, Kind.GAUGE, description, baseUnit, tags, value);
    }
}
