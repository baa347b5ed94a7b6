package net.neighsyncd.ha.internal;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import net.neighsyncd.api.ha.LeaseStore;
import net.neighsyncd.api.ha.LeaseStoreException;
import net.neighsyncd.api.ha.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's role for one pipeline, moved by {@link #tick} on the lease thread:
 * <ul>
 * <li>a standby that finds the lease gone waits the takeover delay, then takes it (and with it the
 * next fencing token);</li>
 * <li>a leader renews it; it steps down when a renewal is refused (another holds the lease), when
 * a write was fenced, and when it could not renew for so long that the lease may end before the
 * next renewal: its last renewal sent more than {@code ttl - renew} ago. So a leader cut off from
 * Redis stops counting itself leader before its lease can end, and a standby takes over only
 * after it has ended.</li>
 * </ul>
 * Times come from the clock it is given, in milliseconds. Thread-safe.
 */
final class LeaseKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final LeaseStore store;
    private final String instanceId;
    private final LongSupplier clockMillis;
    private volatile LeaseSettings settings;

    private Role role = Role.STANDBY;
    private long token;
    /** What {@link #role()} and {@link #token()} read without waiting for a call to the store. */
    private volatile Role roleView = Role.STANDBY;
    private volatile long tokenView;
    /** When the last successful renewal (or the acquisition) was sent. */
    private long renewedAt;
    /** When this standby first saw the lease gone; -1 while it is held. */
    private long goneSince = -1;
    private long takeovers;
    private long stepDowns;
    private String lastProblem;

    LeaseKeeper(LeaseStore store, String instanceId, LeaseSettings settings, LongSupplier clockMillis) {
        this.store = store;
        this.instanceId = instanceId;
        this.settings = settings;
        this.clockMillis = clockMillis;
    }

    void settings(LeaseSettings next) {
        settings = next;
    }

    LeaseSettings settings() {
        return settings;
    }

    /** One step; returns the role after it. */
    synchronized Role tick() {
        LeaseSettings s = settings;
        long now = clockMillis.getAsLong();
        if (role == Role.LEADER) {
            try {
                if (store.renew(instanceId, s.ttlMillis())) {
                    renewedAt = now;
                    lastProblem = null;
                } else {
                    stepDown("the lease is no longer this instance's (another took it, or it ended)");
                    return role;
                }
            } catch (LeaseStoreException | RuntimeException e) {
                problem(e);
            }
            // a fresh reading: the call itself may have taken long (a Redis that does not answer)
            long after = clockMillis.getAsLong();
            if (role == Role.LEADER && after - renewedAt > s.ttlMillis() - s.renewMillis()) {
                stepDown("not renewed for " + (after - renewedAt) + " ms: the lease (" + s.ttlMillis()
                        + " ms) may end before the next renewal");
            }
            return role;
        }
        try {
            Optional<String> holder = store.holder();
            lastProblem = null;
            if (holder.isPresent()) {
                goneSince = -1;
                return role;
            }
            if (goneSince < 0) {
                goneSince = now;
            }
            if (now - goneSince < s.takeoverDelayMillis()) {
                return role;
            }
            OptionalLong acquired = store.acquire(instanceId, s.ttlMillis());
            if (acquired.isPresent()) {
                token = acquired.getAsLong();
                renewedAt = now;
                goneSince = -1;
                role = Role.LEADER;
                publish();
                takeovers++;
                LOG.info("took the lease: leader with fencing token {}", token);
            }
        } catch (LeaseStoreException | RuntimeException e) {
            problem(e);
        }
        return role;
    }

    /** A write under {@code fencedToken} was refused: steps down when it is this tenure's. */
    synchronized boolean fenced(long fencedToken) {
        if (role == Role.LEADER && fencedToken == token) {
            stepDown("APPL_DB refused a write under its fencing token " + fencedToken + ": a newer leader exists");
            return true;
        }
        return false;
    }

    /** A clean stop: ends this leader's lease at once so that the standby takes over without waiting for it. */
    void release() {
        if (stepAside()) {
            releaseLease();
        }
    }

    /**
     * The first half of a clean stop: a leader stops counting itself leader (its listeners are to
     * hold their writes) but keeps the lease; true when it was the leader.
     */
    synchronized boolean stepAside() {
        if (role != Role.LEADER) {
            return false;
        }
        role = Role.STANDBY;
        publish();
        return true;
    }

    /** The second half: ends the lease in the store, once nothing of this instance writes any more. */
    synchronized void releaseLease() {
        try {
            if (store.release(instanceId)) {
                LOG.info("released the lease (fencing token {})", token);
            }
        } catch (LeaseStoreException | RuntimeException e) {
            LOG.warn("could not release the lease; it ends by itself within {} ms: {}", settings.ttlMillis(),
                    e.getMessage());
        }
    }

    /** The role now; never waits for a call to the store in progress. */
    Role role() {
        return roleView;
    }

    /** This tenure's token; empty while standby. Never waits for a call to the store in progress. */
    OptionalLong token() {
        return roleView == Role.LEADER ? OptionalLong.of(tokenView) : OptionalLong.empty();
    }

    private void publish() {
        tokenView = token;
        roleView = role;
    }

    /** Milliseconds since the last renewal; empty while standby. */
    synchronized OptionalLong leaseAgeMillis() {
        return role == Role.LEADER ? OptionalLong.of(clockMillis.getAsLong() - renewedAt) : OptionalLong.empty();
    }

    synchronized long takeovers() {
        return takeovers;
    }

    synchronized long stepDowns() {
        return stepDowns;
    }

    /** Why the last call to the lease's store failed; null when the last one worked. */
    synchronized String lastProblem() {
        return lastProblem;
    }

    private void stepDown(String why) {
        role = Role.STANDBY;
        publish();
        stepDowns++;
        goneSince = -1;
        LOG.warn("stepping down to standby (fencing token {}): {}", token, why);
    }

    /** A call to the store failed: it cannot be reached, or it failed in a way it should not (counted the same). */
    private void problem(Exception e) {
        if (lastProblem == null) {
            LOG.warn("the lease's store cannot be reached: {}", e.getMessage());
        } else {
            LOG.debug("the lease's store still cannot be reached: {}", e.getMessage());
        }
        lastProblem = e.getMessage();
    }
}
