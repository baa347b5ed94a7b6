package net.neighsyncd.ha.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import java.util.OptionalLong;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The lease against a real redis-server: two instances, one holder, a token that only grows. */
class LeaderLeaseTest {
    private static final LeaseSettings SETTINGS = new LeaseSettings(60_000, 10_000, 5_000);

    private RedisServer redis;
    private Jedis a;
    private Jedis b;

    @BeforeEach
    void startRedis() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        redis = RedisServer.start();
        a = redis.jedis(0);
        b = redis.jedis(0);
    }

    @AfterEach
    void stopRedis() throws Exception {
        if (redis != null) {
            a.close();
            b.close();
            redis.close();
        }
    }

    /**
     * Ends the lease as its life ending does: Redis no longer has its key (removed here, so that no
     * test waits for a clock).
     */
    private void expire(LeaderLease lease) {
        a.del(lease.leaseKey());
        assertFalse(a.exists(lease.leaseKey()));
    }

    @Test
    void oneInstanceHoldsTheLeaseAndTheOtherCannotTakeIt() {
        // given
        LeaderLease first = new LeaderLease(a, "asic0", "instance-a", SETTINGS);
        LeaderLease second = new LeaderLease(b, "asic0", "instance-b", SETTINGS);
        // when
        OptionalLong token = first.acquire();
        // then
        assertEquals(OptionalLong.of(1), token);
        assertEquals(OptionalLong.empty(), second.acquire());
        assertEquals(Optional.of("instance-a"), second.holder());
        assertTrue(first.renew());
        assertFalse(second.renew(), "only the holder renews");
        assertFalse(second.release(), "only the holder releases");
        assertEquals(Optional.of("instance-a"), first.holder());
        long ttl = a.pttl(first.leaseKey());
        assertTrue(ttl > 50_000 && ttl <= 60_000, "the lease lives ttlMillis: " + ttl);
    }

    @Test
    void aLeaderWhoseLeaseExpiredCannotRenewOrEndItsSuccessorsAndEachTenureHasALargerToken() {
        // given: a leader, paused past its lease
        LeaderLease old = new LeaderLease(a, "asic0", "instance-a", SETTINGS);
        LeaderLease next = new LeaderLease(b, "asic0", "instance-b", SETTINGS);
        long first = old.acquire().orElseThrow();
        expire(old);
        // when: the standby takes over
        long second = next.acquire().orElseThrow();
        // then: a larger token, and the old leader, resumed, can neither renew nor release
        assertTrue(second > first, second + " after " + first);
        assertFalse(old.renew());
        assertFalse(old.release());
        assertEquals(Optional.of("instance-b"), next.holder());
        assertEquals(second, old.latestToken(), "the old leader can see it was deposed");
    }

    @Test
    void aReleasedLeaseIsTakenAtOnceWithTheNextToken() {
        LeaderLease first = new LeaderLease(a, "", "instance-a", SETTINGS);
        LeaderLease second = new LeaderLease(b, "", "instance-b", SETTINGS);
        assertEquals(OptionalLong.of(1), first.acquire());
        assertTrue(first.release());
        assertEquals(Optional.empty(), second.holder());
        assertEquals(OptionalLong.of(2), second.acquire());
    }

    @Test
    void eachPipelineHasItsOwnLeaseAndToken() {
        LeaderLease asic0 = new LeaderLease(a, "asic0", "instance-a", SETTINGS);
        LeaderLease asic1 = new LeaderLease(b, "asic1", "instance-b", SETTINGS);
        assertEquals(OptionalLong.of(1), asic0.acquire());
        assertEquals(OptionalLong.of(1), asic1.acquire());
    }
}
