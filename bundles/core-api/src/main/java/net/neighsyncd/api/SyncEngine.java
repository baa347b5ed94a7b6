package net.neighsyncd.api;

import org.osgi.annotation.versioning.ProviderType;

/** The sync core as other bundles and operators see it. */
@ProviderType
public interface SyncEngine {

    /** Asks the source for a full dump and writes only what differs. Safe at any time. */
    void resync();

    /** A consistent snapshot of the engine's state and counters. */
    SyncStatus status();
}
