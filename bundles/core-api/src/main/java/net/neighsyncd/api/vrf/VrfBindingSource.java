package net.neighsyncd.api.vrf;

import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** One source of truth about VRFs, kept current. */
@ProviderType
public interface VrfBindingSource {

    /** Which source this is. */
    VrfOrigin origin();

    /** What the source said last; {@link VrfBindings#NONE} before it was read. */
    VrfBindings current();

    /** Calls {@code listener} with each new value that differs from the last; close to stop. */
    AutoCloseable watch(Consumer<VrfBindings> listener);
}
