package net.neighsyncd.redis.internal;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import net.neighsyncd.api.ha.Leadership;
import net.neighsyncd.api.ha.Role;
import net.neighsyncd.api.pipeline.Pipelines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's side of high availability: the {@link Leadership} of its pipeline, when the ha bundle
 * provides one, and the {@link AppliedReplica} that follows the replication stream while this
 * instance stands by. A leader needs no replica once its takeover has read what is applied: it
 * knows what it writes, so the replica is stopped then (its memory freed, its consumer group
 * removed) and a new one started, from a new read of NEIGH_TABLE, when it stands by again.
 * Without a leadership the sink writes as a single instance, as before.
 */
final class PipelineLeadership {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineLeadership.class);

    private final net.neighsyncd.api.pipeline.PipelineServices<Leadership> offered =
            new net.neighsyncd.api.pipeline.PipelineServices<>();
    /** Makes the replica for a pipeline's leadership (the sink supplies its connection). */
    private final Function<Leadership, AppliedReplica> replicas;
    private String namespace = Pipelines.HOST;
    /** Read without the monitor by every write: never waits for a replica to stop. */
    private volatile Leadership current;
    private AppliedReplica replica;
    private AutoCloseable roleWatch;
    private boolean active;

    PipelineLeadership(Function<Leadership, AppliedReplica> replicas) {
        this.replicas = replicas;
    }

    synchronized void offer(Leadership l, Map<String, ?> properties) {
        offered.bind(l, properties);
        reselect();
    }

    synchronized void withdraw(Leadership l) {
        offered.unbind(l);
        reselect();
    }

    /** The sink's namespace (from its configuration). */
    synchronized void namespace(String next) {
        namespace = next;
        reselect();
    }

    /** The sink is active: replicas may run. */
    synchronized void activate() {
        active = true;
        reselect();
    }

    synchronized void deactivate() {
        active = false;
        reselect();
    }

    /** The sink's pipeline's leadership; empty: a single instance. */
    Optional<Leadership> current() {
        return Optional.ofNullable(current);
    }

    /** The replica of the stream while a leadership is in force and this instance has not taken over yet. */
    synchronized Optional<AppliedReplica> replica() {
        return Optional.ofNullable(replica);
    }

    /** This leader's takeover has read what is applied: its replica is no longer needed. */
    synchronized void tookOver() {
        // a standby again already (stepped down while the read ran): it keeps following
        if (current != null && current.role() == Role.LEADER) {
            stopReplica();
        }
    }

    /** The leadership's role changed: a standby follows the stream again. */
    private synchronized void roleChanged(Leadership from, Role role) {
        if (from == current && role == Role.STANDBY && replica == null) {
            startReplica();
        }
    }

    private void startReplica() {
        replica = replicas.apply(current);
        replica.start(Pipelines.display(namespace));
    }

    private void stopReplica() {
        if (replica != null) {
            try {
                replica.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            replica = null;
        }
    }

    private void reselect() {
        Leadership next = active ? offered.of(namespace).orElse(null) : null;
        if (next == current) {
            return;
        }
        if (roleWatch != null) {
            try {
                roleWatch.close();
            } catch (Exception e) {
                LOG.debug("closing the role watch failed", e);
            }
            roleWatch = null;
        }
        stopReplica();
        current = next;
        if (next == null) {
            if (active) {
                LOG.info("APPL_DB sink of {}: no leadership; writing as a single instance",
                        Pipelines.display(namespace));
            }
            return;
        }
        LOG.info("APPL_DB sink of {}: writes are fenced by leadership {}; following the replication stream",
                Pipelines.display(namespace), next.instanceId());
        startReplica();
        Leadership followed = next;
        roleWatch = next.follow(role -> roleChanged(followed, role));
    }
}
