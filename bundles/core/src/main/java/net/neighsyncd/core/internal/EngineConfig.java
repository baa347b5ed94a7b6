package net.neighsyncd.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "neighsyncd sync engine",
        description = "The core that keeps APPL_DB NEIGH_TABLE equal to the kernel's neighbors after SONiC's rules.")
@interface EngineConfig {

    @AttributeDefinition(name = "Event queue capacity",
            description = "Kernel messages the engine may hold before the netlink reader waits (messages, "
                    + "1000 to 10000000). Read at activation.", min = "1000", max = "10000000")
    int eventQueueCapacity() default 1_000_000;

    @AttributeDefinition(name = "Changes per sink call",
            description = "Most changes handed to a sink in one call (changes, 1 to 100000).", min = "1",
            max = "100000")
    int maxBatch() default 10_000;

    @AttributeDefinition(name = "First retry delay",
            description = "Wait before the first retry of a failed sink write (milliseconds, 1 to 60000; at most "
                    + "the maximum retry delay).", min = "1", max = "60000")
    long retryInitialMillis() default 100;

    @AttributeDefinition(name = "Maximum retry delay",
            description = "Cap of the doubling retry delay (milliseconds, 1 to 600000; at least the first retry "
                    + "delay).", min = "1", max = "600000")
    long retryMaxMillis() default 5_000;

    @AttributeDefinition(name = "Store audit interval",
            description = "How often an idle writer asks APPL_DB whether it still holds what was written (a cheap "
                    + "probe; a full read-back and diff follows only when it does not) (milliseconds, 100 to 3600000). "
                    + "A reconnect after a failure always reads back.", min = "100", max = "3600000")
    long auditIntervalMillis() default 5_000;

    @AttributeDefinition(name = "Stale cleanup at start",
            description = "At start, delete APPL_DB entries the kernel no longer has (left by a previous run). "
                    + "Off: such entries are left alone until the kernel reports the key.")
    boolean staleCleanup() default true;

    @AttributeDefinition(name = "Warm restart: wait for the kernel restore",
            description = "On a warm start, how long to wait for STATE_DB NEIGH_RESTORE_TABLE|Flags restored=true "
                    + "before exiting with status 1 as SONiC's neighsyncd does (seconds, 1 to 3600; longer than "
                    + "the kernel restore's own timeout: net.neighsyncd.restore timeoutSeconds when configured, "
                    + "else the 110 s of SONiC's restore_neighbors.py).", min = "1", max = "3600")
    long restoreWaitSeconds() default 180;

    @AttributeDefinition(name = "Flush on stop",
            description = "How long a stop waits for pending writes to reach the sinks (milliseconds, 0 to 600000).",
            min = "0", max = "600000")
    long stopFlushMillis() default 10_000;
}
