package net.neighsyncd.api.ha;

import org.osgi.annotation.versioning.ConsumerType;

/** Told of each role change of one pipeline, in order, on the leadership's own thread. */
@ConsumerType
@FunctionalInterface
public interface RoleListener {
    void roleChanged(Role role);
}
