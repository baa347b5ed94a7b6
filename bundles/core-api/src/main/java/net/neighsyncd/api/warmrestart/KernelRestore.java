package net.neighsyncd.api.warmrestart;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The restore that writes the APPL_DB neighbors back into the kernel on a warm start and then
 * sets {@code NEIGH_RESTORE_TABLE|Flags restored=true} (the built-in one, configured; its absence
 * means SONiC's {@code restore_neighbors.py}, bounded by its 110 s). The warm start's wait for
 * the flag must be longer than this restore's bound; the engine checks that order against this
 * service.
 */
@ProviderType
public interface KernelRestore {

    /** SONiC's {@code restore_neighbors.py} gives up after this many seconds. */
    int SONIC_TIMEOUT_SECONDS = 110;

    /** The bound of the whole restore, in seconds. */
    int timeoutSeconds();
}
