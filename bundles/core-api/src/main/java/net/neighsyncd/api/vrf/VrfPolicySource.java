package net.neighsyncd.api.vrf;

import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The VRF policies in force (the VRF manager's, from its configurations); they apply to every
 * pipeline's VRFs by name.
 *
 * @since 1.1
 */
@ProviderType
public interface VrfPolicySource {

    /** The policy of {@code vrf} ({@link VrfBindings#DEFAULT_VRF} for the default VRF): {@link VrfPolicy#SYNC_ALL} when none names it. */
    VrfPolicy policyOf(String vrf);

    /** Calls {@code listener} with this source after each change of the policies; close to stop. */
    AutoCloseable watch(Consumer<VrfPolicySource> listener);
}
