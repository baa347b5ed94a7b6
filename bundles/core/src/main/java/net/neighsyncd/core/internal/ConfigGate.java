package net.neighsyncd.core.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.OptionalInt;
import java.util.function.Supplier;
import net.neighsyncd.api.health.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's configuration: every offered {@link EngineConfig} is validated, a valid one becomes
 * the settings in force, an invalid one is rejected with one log line and a degraded
 * {@link Problem} while the last good settings stay in force. The order {@code restoreWaitSeconds}
 * &gt; the kernel restore's timeout is checked against the timeout known now, and again when it
 * changes.
 */
final class ConfigGate {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigGate.class);

    private final String pid;
    private final Supplier<OptionalInt> restoreTimeoutSeconds;
    private final LongAdder rejections;
    private volatile EngineSettings settings = EngineSettings.DEFAULTS;
    /** The last settings checked with the restore order too: what a rejection falls back to. */
    private EngineSettings checked = EngineSettings.DEFAULTS;
    private volatile String rejected;
    /** The configuration the settings in force come from; null for the defaults. */
    private EngineConfig inForce;

    /**
     * @param restoreTimeoutSeconds the kernel restore's bound now; empty while it is not known (the
     *                              order is then checked when it becomes known, {@link #recheck})
     * @param rejections            counts every rejection
     */
    ConfigGate(String pid, Supplier<OptionalInt> restoreTimeoutSeconds, LongAdder rejections) {
        this.pid = pid;
        this.restoreTimeoutSeconds = restoreTimeoutSeconds;
        this.rejections = rejections;
    }

    /**
     * Validates {@code config}: returns the new settings when they are taken, empty when it is
     * rejected (the settings in force stay). While the kernel restore's bound is not known, the
     * order of {@code restoreWaitSeconds} and that bound is left to {@link #recheck}.
     */
    synchronized Optional<EngineSettings> offer(EngineConfig config) {
        OptionalInt timeout = restoreTimeoutSeconds.get();
        List<String> problems = timeout.isPresent() ? EngineSettings.problems(config, timeout.getAsInt())
                : EngineSettings.problemsBesidesTheRestoreOrder(config);
        if (!problems.isEmpty()) {
            reject(String.join("; ", problems));
            return Optional.empty();
        }
        rejected = null;
        EngineSettings next = EngineSettings.of(config);
        settings = next;
        inForce = config;
        if (timeout.isPresent()) {
            checked = next;
        }
        return Optional.of(next);
    }

    /**
     * The kernel restore's bound changed or became known: the configuration in force is checked
     * against it. Returns the settings now in force when they changed (the last ones checked in
     * full, when the one in force does not hold), empty otherwise.
     */
    synchronized Optional<EngineSettings> recheck() {
        OptionalInt timeout = restoreTimeoutSeconds.get();
        if (inForce == null || timeout.isEmpty()) {
            return Optional.empty();
        }
        List<String> problems = EngineSettings.problems(inForce, timeout.getAsInt());
        if (problems.isEmpty()) {
            checked = settings;
            return Optional.empty();
        }
        reject(String.join("; ", problems));
        if (settings == checked) {
            // checked against an earlier bound: nothing better to fall back to
            return Optional.empty();
        }
        inForce = null;
        settings = checked;
        return Optional.of(checked);
    }

    private void reject(String why) {
        LOG.error("configuration {} rejected, keeping the last good one: {}", pid, why);
        rejections.increment();
        rejected = why;
    }

    EngineSettings settings() {
        return settings;
    }

    /** The rejection in force, a degraded problem; empty when the last offered configuration was taken. */
    Optional<Problem> problem() {
        String why = rejected;
        return why == null ? Optional.empty()
                : Optional.of(Problem.degraded(pid, "configuration rejected, the last good one is in force: " + why));
    }
}
