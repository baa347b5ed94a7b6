package net.neighsyncd.api.engine;

import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** Keeps the {@link SwitchModes} current from CONFIG_DB. */
@ProviderType
public interface SwitchModesSource {

    /** The last settings read. */
    SwitchModes current();

    /** Calls {@code listener} with each new value that differs from the last; close to stop. */
    AutoCloseable watch(Consumer<SwitchModes> listener);
}
