package net.neighsyncd.redis.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import net.neighsyncd.api.ha.HaKeys;
import net.neighsyncd.api.ha.LeaseStore;
import net.neighsyncd.api.ha.LeaseStoreException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * One pipeline's leader lease in the database of its APPL_DB, with a fencing token that only
 * grows (docs/ha.md):
 * <ul>
 * <li>the lease is {@link HaKeys#lease}, whose value is the holder's id, set with {@code NX PX}: it
 * ends by itself a time to live after its last renewal;</li>
 * <li>the token is {@link HaKeys#fence}, set in the same script that takes the lease to one more
 * than before, or to Redis's clock in milliseconds when that is larger: each acquisition has a
 * larger token than every one before it, also after a Redis restart that lost the key, and
 * {@link FencedWrites} refuses every write under an older one;</li>
 * <li>renewal and release compare the holder's id in the script, so an instance whose lease
 * expired (paused past its life) can neither renew nor end its successor's.</li>
 * </ul>
 * Over a connection of its own, so that renewals never wait behind a burst of writes; connects on
 * first use and again after any failure.
 */
final class RedisLeaseStore implements LeaseStore, AutoCloseable {
    /**
     * KEYS[1] lease, KEYS[2] fence; ARGV[1] holder, ARGV[2] ttl: the new token, or 0 when held. The
     * token is one more than the last, or Redis's clock in milliseconds when that is larger: so it
     * also grows across a Redis restart that lost the fence (a deposed leader's old token can never
     * equal a new one), as long as the server's clock does not go back.
     */
    static final String ACQUIRE = String.join("\n",
            "if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then",
            "  return 0",
            "end",
            "local now = redis.call('TIME')",
            "local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)",
            "local token = tonumber(redis.call('GET', KEYS[2]) or '0') + 1",
            "if millis > token then",
            "  token = millis",
            "end",
            "redis.call('SET', KEYS[2], string.format('%d', token))",
            "return token");
    /** KEYS[1] lease; ARGV[1] holder, ARGV[2] ttl: 1 when renewed, 0 when another holds it or none does. */
    static final String RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
    /** KEYS[1] lease; ARGV[1] holder: 1 when released, 0 when it was not the holder's. */
    static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('DEL', KEYS[1]) else return 0 end";

    private final Supplier<Jedis> connector;
    private final Supplier<String> namespace;
    private Jedis redis;

    /**
     * @param connector opens a connection to the database the lease lives in (APPL_DB's)
     * @param namespace the pipeline's network namespace ({@code ""}: the host's), as configured now
     */
    RedisLeaseStore(Supplier<Jedis> connector, Supplier<String> namespace) {
        this.connector = connector;
        this.namespace = namespace;
    }

    private String leaseKey() {
        return HaKeys.lease(namespace.get());
    }

    private String fenceKey() {
        return HaKeys.fence(namespace.get());
    }

    @Override
    public synchronized OptionalLong acquire(String holder, long ttlMillis) throws LeaseStoreException {
        long token = call("taking the lease", j -> (Long) j.eval(ACQUIRE, List.of(leaseKey(), fenceKey()),
                List.of(holder, Long.toString(ttlMillis))));
        return token == 0 ? OptionalLong.empty() : OptionalLong.of(token);
    }

    @Override
    public synchronized boolean renew(String holder, long ttlMillis) throws LeaseStoreException {
        return call("renewing the lease", j -> (Long) j.eval(RENEW, List.of(leaseKey()),
                List.of(holder, Long.toString(ttlMillis)))) == 1;
    }

    @Override
    public synchronized boolean release(String holder) throws LeaseStoreException {
        return call("releasing the lease", j -> (Long) j.eval(RELEASE, List.of(leaseKey()), List.of(holder))) == 1;
    }

    @Override
    public synchronized Optional<String> holder() throws LeaseStoreException {
        return Optional.ofNullable(call("reading the lease", j -> j.get(leaseKey())));
    }

    /** From the group's {@code lag} (Redis 7); empty when Redis cannot tell or the group does not exist. */
    @Override
    public synchronized OptionalLong streamLag(String group) throws LeaseStoreException {
        List<StreamGroupInfo> groups;
        try {
            groups = call("reading the stream's groups", j -> j.xinfoGroups(HaKeys.stream(namespace.get())));
        } catch (LeaseStoreException e) {
            if (e.getCause() instanceof JedisDataException) {
                return OptionalLong.empty(); // no stream yet
            }
            throw e;
        }
        for (StreamGroupInfo g : groups) {
            if (group.equals(g.getName())) {
                Map<String, Object> info = g.getGroupInfo();
                return info.get("lag") instanceof Long lag ? OptionalLong.of(lag) : OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** The token of the latest acquisition (0 before the first). */
    synchronized long latestToken() throws LeaseStoreException {
        String t = call("reading the fencing token", j -> j.get(fenceKey()));
        return t == null ? 0 : Long.parseLong(t);
    }

    @Override
    public synchronized void close() {
        if (redis != null) {
            try {
                redis.close();
            } catch (JedisException e) {
                // a broken connection cannot say goodbye
            }
            redis = null;
        }
    }

    private interface Call<T> {
        T on(Jedis j);
    }

    private <T> T call(String what, Call<T> call) throws LeaseStoreException {
        try {
            if (redis == null || redis.isBroken() || !redis.isConnected()) {
                close();
                redis = connector.get();
            }
            return call.on(redis);
        } catch (JedisException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            if (!(e instanceof JedisDataException)) {
                close();
            }
            throw new LeaseStoreException(what + " failed: " + e.getMessage(), e);
        }
    }
}
