package net.neighsyncd.core.internal;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import net.neighsyncd.api.process.ProcessControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fatal error ends the process with status 1, as SONiC's neighsyncd does (its supervisor
 * restarts it): the process owner's {@link ProcessControl} is asked to exit. Without one (a
 * framework nobody launched as the daemon) the failure is only reported: the health says
 * {@code FAILED} and liveness goes down. While other pipelines run (a multi-ASIC switch) the
 * process stays: only this pipeline fails, as only one ASIC's neighsyncd would on SONiC. The
 * first reason wins.
 */
final class FatalStop {
    /** SONiC's neighsyncd exits with this on a fatal start error. */
    static final int EXIT_STATUS = 1;
    private static final Logger LOG = LoggerFactory.getLogger(FatalStop.class);

    private final Supplier<ProcessControl> process;
    private final BooleanSupplier othersRunning;
    private volatile String reason;

    FatalStop(Supplier<ProcessControl> process) {
        this(process, () -> false);
    }

    /** {@code othersRunning}: whether other pipelines sync beside this one's. */
    FatalStop(Supplier<ProcessControl> process, BooleanSupplier othersRunning) {
        this.process = process;
        this.othersRunning = othersRunning;
    }

    /** Reports the failure and asks for the exit; later calls are ignored. */
    void fail(String why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
        }
        if (othersRunning.getAsBoolean()) {
            LOG.error("{}; other pipelines sync on, so the process stays: this pipeline reports FAILED", why);
            return;
        }
        ProcessControl p = process.get();
        if (p == null) {
            LOG.error("{}; no process control service to exit with status {}: reporting FAILED", why, EXIT_STATUS);
            return;
        }
        LOG.error("{}; exiting with status {} as SONiC's neighsyncd does", why, EXIT_STATUS);
        p.exit(EXIT_STATUS, why);
    }

    /** Why the engine failed; empty while it has not. */
    Optional<String> reason() {
        return Optional.ofNullable(reason);
    }
}
