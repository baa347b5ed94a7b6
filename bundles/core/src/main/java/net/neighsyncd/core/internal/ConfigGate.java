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
    private EngineConfig lastOffered;

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
     * Validates {@code config}: returns the settings now in force when they changed (the new ones,
     * or on a rejection of settings taken before the restore's bound was known, the last ones
     * checked in full), empty when a rejection leaves the settings as they were.
     */
    synchronized Optional<EngineSettings> offer(EngineConfig config) {
        lastOffered = config;
        OptionalInt timeout = restoreTimeoutSeconds.get();
        List<String> problems = timeout.isPresent() ? EngineSettings.problems(config, timeout.getAsInt())
                : EngineSettings.problemsBesidesTheRestoreOrder(config);
        if (!problems.isEmpty()) {
            String why = String.join("; ", problems);
            LOG.error("configuration {} rejected, keeping the last good one: {}", pid, why);
            rejections.increment();
            rejected = why;
            if (settings != checked) {
                // taken before the restore's bound was known, and wrong against it
                settings = checked;
                return Optional.of(checked);
            }
            return Optional.empty();
        }
        rejected = null;
        EngineSettings next = EngineSettings.of(config);
        settings = next;
        if (timeout.isPresent()) {
            checked = next;
        }
        return Optional.of(next);
    }

    /** The kernel restore's bound changed or became known: the last offered configuration is checked again. */
    synchronized Optional<EngineSettings> recheck() {
        return lastOffered == null ? Optional.empty() : offer(lastOffered);
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
