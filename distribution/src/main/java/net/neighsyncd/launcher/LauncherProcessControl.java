package net.neighsyncd.launcher;

import java.util.concurrent.atomic.AtomicInteger;
import net.neighsyncd.api.process.ProcessControl;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * The launcher owns the process: a bundle that must end it asks here. The framework is stopped
 * from a thread of its own (never from the caller's, which may be a component the stop
 * deactivates), and the launcher's main thread, waiting for the framework, exits with the status
 * asked for. The first request's status wins.
 */
final class LauncherProcessControl implements ProcessControl {
    /** No exit was asked for: a framework that stops means a clean stop. */
    static final int NOT_REQUESTED = -1;

    private final Framework framework;
    private final AtomicInteger status = new AtomicInteger(NOT_REQUESTED);

    LauncherProcessControl(Framework framework) {
        this.framework = framework;
    }

    @Override
    public void exit(int exitStatus, String reason) {
        if (!status.compareAndSet(NOT_REQUESTED, exitStatus)) {
            return;
        }
        System.err.println("neighsyncd: exiting with status " + exitStatus + ": " + reason);
        Thread stopper = new Thread(() -> {
            try {
                framework.stop();
            } catch (BundleException | IllegalStateException e) {
                System.err.println("neighsyncd: cannot stop the framework: " + e);
            }
        }, "neighsyncd-exit");
        stopper.start();
    }

    /** The status asked for, or 0 when none was. */
    int exitStatus() {
        int s = status.get();
        return s == NOT_REQUESTED ? 0 : s;
    }
}
