package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.warmrestart.KernelRestore;

/** A validated {@link EngineConfig}. */
record EngineSettings(int eventQueueCapacity, SinkWriter.WriterSettings writer, long stopFlushMillis,
        boolean staleCleanup, long restoreWaitSeconds, RulesPolicy policy, int watchHistory, boolean highAvailability) {

    static final EngineSettings DEFAULTS = new EngineSettings(1_000_000,
            new SinkWriter.WriterSettings(10_000, 100, 5_000, 5_000, new SinkWriter.AutoTune(true, 1, 2, 0)),
            10_000, true, 180, RulesPolicy.SONIC, 65_536, false);

    /** Validates a configuration; the problems are returned, one line each, empty when valid. */
    static List<String> problems(EngineConfig c) {
        return problems(c, KernelRestore.SONIC_TIMEOUT_SECONDS);
    }

    /** {@code restoreTimeoutSeconds}: the kernel restore's timeout, which the wait for its flag must exceed. */
    static List<String> problems(EngineConfig c, long restoreTimeoutSeconds) {
        List<String> p = problemsBesidesTheRestoreOrder(c);
        if (c.restoreWaitSeconds() <= restoreTimeoutSeconds) {
            p.add("restoreWaitSeconds=" + c.restoreWaitSeconds() + " must be longer than the kernel restore timeout ("
                    + restoreTimeoutSeconds + " s)");
        }
        return p;
    }

    /** Every check but the order of {@code restoreWaitSeconds} and the kernel restore's timeout. */
    static List<String> problemsBesidesTheRestoreOrder(EngineConfig c) {
        List<String> p = new ArrayList<>();
        range(p, "restoreWaitSeconds", c.restoreWaitSeconds(), 1, 3600);
        oneOf(p, "dualTorMode", c.dualTorMode(), "auto", "on", "off");
        oneOf(p, "linkLocalMode", c.linkLocalMode(), "auto", "always", "never");
        try {
            compile(c.ignoreInterfaces());
        } catch (PatternSyntaxException e) {
            p.add("ignoreInterfaces=" + c.ignoreInterfaces() + " is not a regular expression: " + e.getDescription());
        }
        try {
            families(c.families());
        } catch (IllegalArgumentException e) {
            p.add("families=" + c.families() + " " + e.getMessage());
        }
        range(p, "eventQueueCapacity", c.eventQueueCapacity(), 1000, 10_000_000);
        range(p, "maxBatch", c.maxBatch(), 1, 100_000);
        range(p, "watchHistory", c.watchHistory(), 1024, 10_000_000);
        range(p, "retryInitialMillis", c.retryInitialMillis(), 1, 60_000);
        range(p, "retryMaxMillis", c.retryMaxMillis(), 1, 600_000);
        range(p, "stopFlushMillis", c.stopFlushMillis(), 0, 600_000);
        range(p, "auditIntervalMillis", c.auditIntervalMillis(), 100, 3_600_000);
        range(p, "latencyTargetMillis", c.latencyTargetMillis(), 1, 60_000);
        range(p, "minBatch", c.minBatch(), 1, 100_000);
        range(p, "maxLingerMicros", c.maxLingerMicros(), 0, 10_000_000);
        if (c.minBatch() > c.maxBatch()) {
            p.add("minBatch=" + c.minBatch() + " must be at most maxBatch=" + c.maxBatch());
        }
        if (c.latencyTargetMillis() >= 1 && c.maxLingerMicros() >= c.latencyTargetMillis() * 1_000) {
            p.add("maxLingerMicros=" + c.maxLingerMicros() + " must be shorter than latencyTargetMillis="
                    + c.latencyTargetMillis() + " (" + c.latencyTargetMillis() * 1_000 + " µs)");
        }
        if (c.retryMaxMillis() < c.retryInitialMillis()) {
            p.add("retryMaxMillis=" + c.retryMaxMillis() + " must be at least retryInitialMillis="
                    + c.retryInitialMillis());
        }
        return p;
    }

    static EngineSettings of(EngineConfig c) {
        return new EngineSettings(c.eventQueueCapacity(),
                new SinkWriter.WriterSettings(c.maxBatch(), c.retryInitialMillis(), c.retryMaxMillis(),
                        c.auditIntervalMillis(), new SinkWriter.AutoTune(c.autoTune(), c.minBatch(),
                                c.latencyTargetMillis(), c.maxLingerMicros())),
                c.stopFlushMillis(), c.staleCleanup(), c.restoreWaitSeconds(),
                new RulesPolicy(RulesPolicy.Mode.valueOf(c.dualTorMode().trim().toUpperCase(Locale.ROOT)),
                        RulesPolicy.LinkLocal.valueOf(c.linkLocalMode().trim().toUpperCase(Locale.ROOT)),
                        compile(c.ignoreInterfaces()), families(c.families())),
                c.watchHistory(), c.highAvailability());
    }

    private static void oneOf(List<String> p, String key, String v, String... allowed) {
        String t = v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(t)) {
            p.add(key + "=" + v + " is not one of " + String.join(", ", allowed));
        }
    }

    private static Pattern compile(String regex) {
        return regex == null || regex.isBlank() ? null : Pattern.compile(regex.trim());
    }

    private static Set<Family> families(String names) {
        Set<Family> out = EnumSet.noneOf(Family.class);
        for (String part : (names == null ? "" : names).split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Family f = Family.ofSonicName(part.trim());
            if (f == null) {
                throw new IllegalArgumentException("names an unknown family '" + part.trim() + "' (IPv4, IPv6)");
            }
            out.add(f);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("must name IPv4, IPv6 or both");
        }
        return out;
    }

    private static void range(List<String> p, String key, long v, long min, long max) {
        if (v < min || v > max) {
            p.add(key + "=" + v + " is outside " + min + ".." + max);
        }
    }
}
