package net.neighsyncd.api.vrf;

import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The VRF bindings in force: every {@link VrfBindingSource} merged by the VRF manager
 * (docs/behaviour.md, VRFs). Absent while no VRF manager runs; its users then know no VRF.
 */
@ProviderType
public interface VrfResolver {

    /** The bindings in force. */
    VrfBindings current();

    /** Calls {@code listener} with each new value that differs from the last; close to stop. */
    AutoCloseable watch(Consumer<VrfBindings> listener);
}
