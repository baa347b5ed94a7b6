package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.neighsyncd.api.ha.HaKeys;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The lease against a real redis-server: two instances, one holder, a token that only grows. */
class RedisLeaseStoreTest {
    private static final long TTL = 60_000;

    private RedisServer redis;
    private Jedis a;

    @BeforeEach
    void startRedis() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        redis = RedisServer.start();
        a = redis.jedis(0);
    }

    @AfterEach
    void stopRedis() throws Exception {
        if (redis != null) {
            a.close();
            redis.close();
        }
    }

    private long redisMillis() {
        List<String> t = a.time();
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
    }

    private RedisLeaseStore store(String namespace) {
        return new RedisLeaseStore(() -> redis.jedis(0), () -> namespace);
    }

    /**
     * Ends the lease as its life ending does: Redis no longer has its key (removed here, so that no
     * test waits for a clock).
     */
    private void expire(String namespace) {
        a.del(HaKeys.lease(namespace));
        assertFalse(a.exists(HaKeys.lease(namespace)));
    }

    @Test
    void oneInstanceHoldsTheLeaseAndTheOtherCannotTakeIt() throws Exception {
        // given
        RedisLeaseStore first = store("asic0");
        String firstId = "instance-a";
        RedisLeaseStore second = store("asic0");
        String secondId = "instance-b";
        // when
        OptionalLong token = first.acquire(firstId, TTL);
        // then
        assertTrue(token.isPresent());
        assertEquals(OptionalLong.empty(), second.acquire(secondId, TTL));
        assertEquals(Optional.of("instance-a"), second.holder());
        assertTrue(first.renew(firstId, TTL));
        assertFalse(second.renew(secondId, TTL), "only the holder renews");
        assertFalse(second.release(secondId), "only the holder releases");
        assertEquals(Optional.of("instance-a"), first.holder());
        long ttl = a.pttl(HaKeys.lease("asic0"));
        assertTrue(ttl > 50_000 && ttl <= 60_000, "the lease lives ttlMillis: " + ttl);
    }

    @Test
    void aLeaderWhoseLeaseExpiredCannotRenewOrEndItsSuccessorsAndEachTenureHasALargerToken() throws Exception {
        // given: a leader, paused past its lease
        RedisLeaseStore old = store("asic0");
        String oldId = "instance-a";
        RedisLeaseStore next = store("asic0");
        String nextId = "instance-b";
        long first = old.acquire(oldId, TTL).orElseThrow();
        expire("asic0");
        // when: the standby takes over
        long second = next.acquire(nextId, TTL).orElseThrow();
        // then: a larger token, and the old leader, resumed, can neither renew nor release
        assertTrue(second > first, second + " after " + first);
        assertFalse(old.renew(oldId, TTL));
        assertFalse(old.release(oldId));
        assertEquals(Optional.of("instance-b"), next.holder());
        assertEquals(second, old.latestToken(), "the old leader can see it was deposed");
    }

    @Test
    void aReleasedLeaseIsTakenAtOnceWithTheNextToken() throws Exception {
        RedisLeaseStore first = store("");
        String firstId = "instance-a";
        RedisLeaseStore second = store("");
        String secondId = "instance-b";
        long token = first.acquire(firstId, TTL).orElseThrow();
        assertTrue(first.release(firstId));
        assertEquals(Optional.empty(), second.holder());
        assertTrue(second.acquire(secondId, TTL).orElseThrow() > token);
    }

    @Test
    void eachPipelineHasItsOwnLeaseAndToken() throws Exception {
        RedisLeaseStore asic0 = store("asic0");
        String asic0Id = "instance-a";
        RedisLeaseStore asic1 = store("asic1");
        String asic1Id = "instance-b";
        assertTrue(asic0.acquire(asic0Id, TTL).isPresent());
        assertTrue(asic1.acquire(asic1Id, TTL).isPresent(), "another pipeline's lease is another key");
        assertEquals(Optional.of(asic0Id), asic0.holder());
        assertEquals(Optional.of(asic1Id), asic1.holder());
    }

    @Test
    void aTokenIsLargerThanEveryOneBeforeEvenWhenRedisLostTheFence() throws Exception {
        // given: a tenure whose token Redis then lost (restarted without its data); a token far in
        // the future stands for a fence that had counted past the clock
        RedisLeaseStore old = store("");
        long first = old.acquire("instance-a", TTL).orElseThrow();
        a.flushAll();
        // a restart takes longer than a millisecond: so does this loss, by Redis's own clock
        while (redisMillis() <= first) {
            Thread.onSpinWait();
        }
        // when
        long afterLoss = store("").acquire("instance-b", TTL).orElseThrow();
        a.del(HaKeys.lease(""));
        a.set(HaKeys.fence(""), Long.toString(afterLoss + 1_000_000_000L));
        long afterCount = store("").acquire("instance-c", TTL).orElseThrow();
        // then
        assertTrue(afterLoss > first, afterLoss + " after " + first);
        assertEquals(afterLoss + 1_000_000_001L, afterCount, "one more than a fence ahead of the clock");
    }
}
