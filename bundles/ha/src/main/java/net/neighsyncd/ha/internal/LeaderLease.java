package net.neighsyncd.ha.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import redis.clients.jedis.Jedis;

/**
 * One pipeline's leader lease in Redis, held by one instance at a time, with a fencing token that
 * only grows:
 * <ul>
 * <li>the lease is the key {@code NEIGHSYNCD_LEASE|<namespace>}, whose value is the holder's id,
 * set with {@code NX PX}: it ends by itself {@link LeaseSettings#ttlMillis()} after its last
 * renewal;</li>
 * <li>the token is {@code NEIGHSYNCD_FENCE|<namespace>}, incremented in the same script that
 * takes the lease: each acquisition has a larger token than every one before it, which APPL_DB
 * writes will check so that a deposed leader cannot write;</li>
 * <li>renewal and release compare the holder's id in the script, so an instance whose lease
 * expired (paused past its life) cannot renew or end its successor's.</li>
 * </ul>
 * Not thread-safe: one instance's lease thread uses it, over its own connection.
 */
final class LeaderLease {
    /** KEYS[1] lease, KEYS[2] fence; ARGV[1] holder, ARGV[2] ttl: the new token, or 0 when held. */
    static final String ACQUIRE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then "
            + "return redis.call('INCR', KEYS[2]) else return 0 end";
    /** KEYS[1] lease; ARGV[1] holder, ARGV[2] ttl: 1 when renewed, 0 when another holds it or none does. */
    static final String RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
    /** KEYS[1] lease; ARGV[1] holder: 1 when released, 0 when it was not the holder's. */
    static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('DEL', KEYS[1]) else return 0 end";

    private final Jedis redis;
    private final String leaseKey;
    private final String fenceKey;
    private final String holder;
    private final LeaseSettings settings;

    /**
     * @param redis     the connection to the database the lease lives in (APPL_DB's)
     * @param namespace the pipeline's network namespace ({@code ""}: the host's)
     * @param holder    this instance's id: unique per instance and start
     */
    LeaderLease(Jedis redis, String namespace, String holder, LeaseSettings settings) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.leaseKey = "NEIGHSYNCD_LEASE|" + namespace;
        this.fenceKey = "NEIGHSYNCD_FENCE|" + namespace;
        this.holder = Objects.requireNonNull(holder, "holder");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Takes the lease when nobody holds it: the fencing token of this tenure; empty when it is held. */
    OptionalLong acquire() {
        long token = (Long) redis.eval(ACQUIRE, List.of(leaseKey, fenceKey),
                List.of(holder, Long.toString(settings.ttlMillis())));
        return token == 0 ? OptionalLong.empty() : OptionalLong.of(token);
    }

    /** Extends this holder's lease by its life; false when it is no longer this holder's. */
    boolean renew() {
        return (Long) redis.eval(RENEW, List.of(leaseKey), List.of(holder, Long.toString(settings.ttlMillis())))
                == 1;
    }

    /** Ends this holder's lease at once (a clean stop); false when it was not this holder's. */
    boolean release() {
        return (Long) redis.eval(RELEASE, List.of(leaseKey), List.of(holder)) == 1;
    }

    /** Who holds the lease now; empty when nobody does. */
    Optional<String> holder() {
        return Optional.ofNullable(redis.get(leaseKey));
    }

    /** The token of the latest acquisition (0 before the first). */
    long latestToken() {
        String t = redis.get(fenceKey);
        return t == null ? 0 : Long.parseLong(t);
    }

    String leaseKey() {
        return leaseKey;
    }
}
