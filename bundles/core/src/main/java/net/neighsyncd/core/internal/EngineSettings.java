package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.List;

/** A validated {@link EngineConfig}. */
record EngineSettings(int eventQueueCapacity, SinkWriter.WriterSettings writer, long stopFlushMillis,
        boolean staleCleanup) {

    static final EngineSettings DEFAULTS = new EngineSettings(1_000_000,
            new SinkWriter.WriterSettings(10_000, 100, 5_000, 5_000), 10_000, true);

    /** Validates a configuration; the problems are returned, one line each, empty when valid. */
    static List<String> problems(EngineConfig c) {
        List<String> p = new ArrayList<>();
        range(p, "eventQueueCapacity", c.eventQueueCapacity(), 1000, 10_000_000);
        range(p, "maxBatch", c.maxBatch(), 1, 100_000);
        range(p, "retryInitialMillis", c.retryInitialMillis(), 1, 60_000);
        range(p, "retryMaxMillis", c.retryMaxMillis(), 1, 600_000);
        range(p, "stopFlushMillis", c.stopFlushMillis(), 0, 600_000);
        range(p, "auditIntervalMillis", c.auditIntervalMillis(), 100, 3_600_000);
        if (c.retryMaxMillis() < c.retryInitialMillis()) {
            p.add("retryMaxMillis=" + c.retryMaxMillis() + " must be at least retryInitialMillis="
                    + c.retryInitialMillis());
        }
        return p;
    }

    static EngineSettings of(EngineConfig c) {
        return new EngineSettings(c.eventQueueCapacity(),
                new SinkWriter.WriterSettings(c.maxBatch(), c.retryInitialMillis(), c.retryMaxMillis(),
                        c.auditIntervalMillis()),
                c.stopFlushMillis(), c.staleCleanup());
    }

    private static void range(List<String> p, String key, long v, long min, long max) {
        if (v < min || v > max) {
            p.add(key + "=" + v + " is outside " + min + ".." + max);
        }
    }
}
