package net.neighsyncd.api.ha;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The leadership of one pipeline, registered with the pipeline's namespace as
 * {@link net.neighsyncd.api.pipeline.Pipelines#NAMESPACE_PROPERTY}. Without one, a pipeline has a
 * single instance, which writes.
 */
@ProviderType
public interface Leadership {

    /** This instance's role now. */
    Role role();

    /** The fence to write under now: present only while this instance leads. */
    Optional<WriteFence> fence();

    /** This instance's id: the lease's value while it leads, and the name of its stream consumer group. */
    String instanceId();

    /**
     * The store refused a write under {@code token}: another instance has taken the lease since.
     * This instance steps down at once when {@code token} is its current one.
     */
    void fenced(long token);

    /**
     * Tells {@code listener} of every role change from now on, starting with the current role.
     *
     * @return closing it stops the calls
     */
    AutoCloseable follow(RoleListener listener);

    LeadershipStatus status();
}
