package net.neighsyncd.api.process;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The process the daemon runs in, offered by whoever owns it (the launcher): a bundle that must
 * end the process (a fatal start error) asks for it here instead of stopping the framework itself.
 */
@ProviderType
public interface ProcessControl {

    /**
     * Stops the framework and then ends the process with {@code status}. Returns at once; the
     * first request's status wins.
     *
     * @param status the exit status (SONiC's supervisor restarts the daemon on a non-zero one)
     * @param reason one line for the log
     */
    void exit(int status, String reason);
}
