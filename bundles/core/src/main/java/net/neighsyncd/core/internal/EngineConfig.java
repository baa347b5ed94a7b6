package net.neighsyncd.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "neighsyncd sync engine",
        description = "The core that keeps APPL_DB NEIGH_TABLE equal to the kernel's neighbors after SONiC's rules.")
@interface EngineConfig {

    @AttributeDefinition(name = "Network namespace",
            description = "The namespace whose pipeline this engine is (its neighbor source and APPL_DB sink are "
                    + "the ones of the same namespace); empty: the daemon's own. A pipeline configuration "
                    + "(net.neighsyncd.pipeline) sets it; --netns sets it for the default pipeline.",
            required = false)
    String namespace() default "";

    @AttributeDefinition(name = "Dual-ToR mode",
            description = "auto: dual-ToR when CONFIG_DB has a PEER_SWITCH key (SONiC's rule); on/off: forced. "
                    + "Dual-ToR drops IPv4 link-local neighbors and keeps unresolved ones with a zero MAC.",
            options = {@Option(label = "auto (CONFIG_DB PEER_SWITCH)", value = "auto"),
                @Option(label = "on", value = "on"), @Option(label = "off", value = "off")})
    String dualTorMode() default "auto";

    @AttributeDefinition(name = "IPv6 link-local mode",
            description = "auto: fe80::/10 neighbors are synced on interfaces whose CONFIG_DB INTERFACE, "
                    + "VLAN_INTERFACE or PORTCHANNEL_INTERFACE entry has ipv6_use_link_local_only=enable (SONiC's "
                    + "rule); always/never: forced for every interface.",
            options = {@Option(label = "auto (CONFIG_DB per interface)", value = "auto"),
                @Option(label = "always", value = "always"), @Option(label = "never", value = "never")})
    String linkLocalMode() default "auto";

    @AttributeDefinition(name = "Interfaces to ignore",
            description = "Java regular expression; neighbors on interfaces whose whole name matches are not synced. "
                    + "Empty: none ignored, as SONiC's neighsyncd (orchagent itself skips eth0, lo, docker0, usb0).")
    String ignoreInterfaces() default "";

    @AttributeDefinition(name = "Families",
            description = "Address families synced: IPv4, IPv6 or both (comma-separated).",
            options = {@Option(label = "IPv4 and IPv6", value = "IPv4,IPv6"), @Option(label = "IPv4 only", value = "IPv4"),
                @Option(label = "IPv6 only", value = "IPv6")})
    String families() default "IPv4,IPv6";

    @AttributeDefinition(name = "Event queue capacity",
            description = "Kernel messages the engine may hold before the netlink reader waits (messages, "
                    + "1000 to 10000000); beyond them the kernel socket buffers. A message that waits here "
                    + "longer than a young collection's interval is copied to the old generation, so a large "
                    + "queue costs memory during a dump. Read at activation.", min = "1000", max = "10000000")
    int eventQueueCapacity() default 8192;

    @AttributeDefinition(name = "Watch history",
            description = "Acknowledged APPL_DB changes the engine keeps numbered for followers of its change "
                    + "stream (REST events, gRPC watch): one that reconnects within them resumes where it left, one "
                    + "further behind reads a snapshot again (changes, 1024 to 10000000; about 40 bytes each). "
                    + "Read at activation.", min = "1024", max = "10000000")
    int watchHistory() default 65_536;

    @AttributeDefinition(name = "Changes per sink call",
            description = "Most changes handed to a sink in one call (changes, 1 to 100000).", min = "1",
            max = "100000")
    int maxBatch() default 10_000;

    @AttributeDefinition(name = "AutoTuner",
            description = "On: the writer sizes each sink call and how long it waits for more changes before it "
                    + "(linger) from the measured round trips and its queue, to keep a change's wait plus its write "
                    + "under the latency target, between the minimum and the maximum batch. Off: every call takes "
                    + "up to the maximum batch at once, with no linger.")
    boolean autoTune() default true;

    @AttributeDefinition(name = "AutoTuner: latency target",
            description = "What the AutoTuner aims at for a change's wait in the writer plus the sink call that "
                    + "writes it (milliseconds, 1 to 60000; longer than the maximum linger). Under a backlog it "
                    + "cannot be met and the AutoTuner batches for throughput instead.", min = "1", max = "60000")
    long latencyTargetMillis() default 2;

    @AttributeDefinition(name = "AutoTuner: minimum batch",
            description = "The smallest batch limit the AutoTuner sets, and where it starts (changes, 1 to 100000; "
                    + "at most the maximum batch, 'Changes per sink call'). A call carries fewer when fewer wait.",
            min = "1", max = "100000")
    int minBatch() default 1;

    @AttributeDefinition(name = "AutoTuner: maximum linger",
            description = "The longest the AutoTuner lets the writer wait for more changes before a call "
                    + "(microseconds, 0 to 10000000; 0: never, the default; shorter than the latency target). It waits "
                    + "only when changes come fast and the target leaves room; it trades latency for fewer calls.",
            min = "0", max = "10000000")
    long maxLingerMicros() default 0;

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

    @AttributeDefinition(name = "High availability",
            description = "This pipeline is one of two instances on the switch (docs/ha.md): it writes APPL_DB only "
                    + "while the ha bundle's Leadership of its namespace says it holds the lease, and stands by "
                    + "otherwise, also while no Leadership is registered. Off: a Leadership is followed when one is "
                    + "registered, and without one the engine writes as a single instance.")
    boolean highAvailability() default false;

    @AttributeDefinition(name = "Flush on stop",
            description = "How long a stop waits for pending writes to reach the sinks (milliseconds, 0 to 600000).",
            min = "0", max = "600000")
    long stopFlushMillis() default 10_000;
}
