package net.neighsyncd.logging.internal;

import ch.qos.logback.classic.Level;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The logging configuration as validated: {@link #parse} rejects a bad value with an
 * {@link IllegalArgumentException} whose message names the key and the reason.
 *
 * @param level   the root logger's level
 * @param loggers levels of single loggers (and their children), by logger name
 * @param syslog  where to send syslog messages; null when syslog is off
 */
record LogSettings(Level level, Map<String, Level> loggers, SyslogTarget syslog) {

    static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace", "off");

    static LogSettings parse(Map<String, ?> p) {
        Level root = level("level", string(p, "level", "info"));
        Map<String, Level> loggers = new TreeMap<>();
        for (String entry : strings(p, "loggers")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("loggers: '" + entry + "' is not logger=level");
            }
            String name = entry.substring(0, eq).trim();
            if (!name.matches("[A-Za-z_$][A-Za-z0-9_$.]*")) {
                throw new IllegalArgumentException("loggers: '" + name + "' is not a logger name");
            }
            loggers.put(name, level("loggers", entry.substring(eq + 1)));
        }
        SyslogTarget syslog = null;
        if (Boolean.parseBoolean(string(p, "syslog", "false"))) {
            syslog = SyslogTarget.parse(string(p, "syslogAddress", SyslogTarget.DEFAULT_ADDRESS),
                    string(p, "syslogIdentifier", SyslogTarget.DEFAULT_IDENTIFIER),
                    string(p, "syslogFacility", SyslogTarget.DEFAULT_FACILITY));
        }
        return new LogSettings(root, Collections.unmodifiableMap(new LinkedHashMap<>(loggers)), syslog);
    }

    private static Level level(String key, String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(s)) {
            throw new IllegalArgumentException(key + ": '" + value.trim() + "' is not one of " + String.join(", ", LEVELS));
        }
        return Level.toLevel(s);
    }

    private static String string(Map<String, ?> p, String key, String dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String[] a) {
            return String.join(",", a);
        }
        String s = v.toString().trim();
        return s.isEmpty() ? dflt : s;
    }

    /** A String[] from Config Admin, or one comma-separated string from a .cfg file. */
    private static List<String> strings(Map<String, ?> p, String key) {
        Object v = p.get(key);
        String[] parts = v instanceof String[] a ? a : v == null ? new String[0] : v.toString().split(",");
        return java.util.Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
