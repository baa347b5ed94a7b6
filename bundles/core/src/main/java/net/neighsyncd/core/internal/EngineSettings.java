package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.List;

/** A validated {@link EngineConfig}. */
record EngineSettings(int eventQueueCapacity, SinkWriter.WriterSettings writer, long stopFlushMillis,
        boolean staleCleanup, long restoreWaitSeconds) {

    /** SONiC's restore_neighbors.py gives up after this; the wait for its flag must be longer. */
    static final long SONIC_RESTORE_TIMEOUT_SECONDS = 110;

    static final EngineSettings DEFAULTS = new EngineSettings(1_000_000,
            new SinkWriter.WriterSettings(10_000, 100, 5_000, 5_000), 10_000, true, 180);

    /** Validates a configuration; the problems are returned, one line each, empty when valid. */
    static List<String> problems(EngineConfig c) {
        return problems(c, SONIC_RESTORE_TIMEOUT_SECONDS);
    }

    /** {@code restoreTimeoutSeconds}: the kernel restore's timeout, which the wait for its flag must exceed. */
    static List<String> problems(EngineConfig c, long restoreTimeoutSeconds) {
        List<String> p = new ArrayList<>();
        range(p, "restoreWaitSeconds", c.restoreWaitSeconds(), 1, 3600);
        if (c.restoreWaitSeconds() <= restoreTimeoutSeconds) {
            p.add("restoreWaitSeconds=" + c.restoreWaitSeconds() + " must be longer than the kernel restore timeout ("
                    + restoreTimeoutSeconds + " s)");
        }
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
                c.stopFlushMillis(), c.staleCleanup(), c.restoreWaitSeconds());
    }

    private static void range(List<String> p, String key, long v, long min, long max) {
        if (v < min || v > max) {
            p.add(key + "=" + v + " is outside " + min + ".." + max);
        }
    }
}
