package net.neighsyncd.ha.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import net.neighsyncd.api.ha.LeaseStore;
import net.neighsyncd.api.ha.LeaseStoreException;
import net.neighsyncd.api.ha.Role;
import org.junit.jupiter.api.Test;

/**
 * The role machine on a fake clock, over a fake lease store that keeps the lease in memory with
 * the fake clock's expiry and can be made unreachable on demand (the fault a real Redis cannot be
 * made to show to one client only). The real store's scripts are tested in redis-sink's
 * RedisLeaseStoreTest.
 */
class LeaseKeeperTest {
    private static final LeaseSettings SETTINGS = new LeaseSettings(3000, 1000, 500);

    private final AtomicLong now = new AtomicLong(10_000);
    private final FakeLeaseStore store = new FakeLeaseStore(now);

    @Test
    void aStandbyTakesAGoneLeaseOnlyAfterTheTakeoverDelay() {
        // given
        LeaseKeeper keeper = new LeaseKeeper(store, "b", SETTINGS, now::get);
        // when: it first sees the lease gone
        Role first = keeper.tick();
        now.addAndGet(499);
        Role beforeDelay = keeper.tick();
        now.addAndGet(1);
        Role afterDelay = keeper.tick();
        // then
        assertEquals(Role.STANDBY, first);
        assertEquals(Role.STANDBY, beforeDelay);
        assertEquals(Role.LEADER, afterDelay);
        assertEquals(OptionalLong.of(1), keeper.token());
    }

    @Test
    void aStandbyDoesNotTakeALeaseAnotherHolds() {
        // given
        store.acquire("a", 3000);
        LeaseKeeper keeper = new LeaseKeeper(store, "b", SETTINGS, now::get);
        // when
        for (int i = 0; i < 5; i++) {
            keeper.tick();
            now.addAndGet(500);
        }
        // then: the lease lives 3 s and the ticks span 2 s
        assertEquals(Role.STANDBY, keeper.role());
        assertEquals(Optional.of("a"), store.holder());
    }

    @Test
    void aLeaderThatCannotRenewStepsDownBeforeItsLeaseCanEnd() {
        // given: a leader
        LeaseKeeper keeper = new LeaseKeeper(store, "a", new LeaseSettings(3000, 1000, 0), now::get);
        assertEquals(Role.LEADER, keeper.tick());
        long tookAt = now.get();
        // when: Redis cannot be reached from it
        store.unreachable = true;
        now.addAndGet(1000);
        Role after1s = keeper.tick();
        now.addAndGet(1000);
        Role after2s = keeper.tick();
        now.addAndGet(1);
        Role after2001ms = keeper.tick();
        // then: still leader while the lease has at least one renewal interval left, standby after
        assertEquals(Role.LEADER, after1s);
        assertEquals(Role.LEADER, after2s);
        assertEquals(Role.STANDBY, after2001ms);
        assertEquals(1, keeper.stepDowns());
        // and it stepped down before its lease could end (3000 ms after it was taken)
        assertEquals(true, now.get() - tookAt < 3000);
    }

    @Test
    void aStoreFailingUncheckedIsTreatedAsUnreachable() {
        // given: a leader
        LeaseKeeper keeper = new LeaseKeeper(store, "a", new LeaseSettings(3000, 1000, 0), now::get);
        keeper.tick();
        // when: the store's client fails with an unchecked exception (a broken pipe while closing, say)
        store.failUnchecked = true;
        now.addAndGet(1000);
        Role first = keeper.tick();
        now.addAndGet(1001);
        Role later = keeper.tick();
        // then: the tick returns, and the leader steps down as when the store cannot be reached
        assertEquals(Role.LEADER, first);
        assertEquals(Role.STANDBY, later);
        assertEquals("broken pipe (fake)", keeper.lastProblem());
    }

    @Test
    void aLeaderWhoseRenewalIsRefusedStepsDownAtOnce() {
        // given
        LeaseKeeper keeper = new LeaseKeeper(store, "a", SETTINGS, now::get);
        keeper.tick();
        now.addAndGet(500);
        keeper.tick();
        assertEquals(Role.LEADER, keeper.role());
        // when: its lease ended while it was paused, and another took it
        store.expire();
        store.acquire("b", 3000);
        Role after = keeper.tick();
        // then
        assertEquals(Role.STANDBY, after);
        assertEquals(OptionalLong.empty(), keeper.token());
    }

    @Test
    void aFencedWriteOfTheCurrentTenureStepsDownAndOneOfAnEarlierDoesNot() {
        // given: a leader with token 2
        store.acquire("x", 3000);
        store.expire();
        LeaseKeeper keeper = new LeaseKeeper(store, "a", new LeaseSettings(3000, 1000, 0), now::get);
        keeper.tick();
        assertEquals(OptionalLong.of(2), keeper.token());
        // when / then
        assertEquals(false, keeper.fenced(1));
        assertEquals(Role.LEADER, keeper.role());
        assertEquals(true, keeper.fenced(2));
        assertEquals(Role.STANDBY, keeper.role());
    }

    @Test
    void aReleasedLeaseIsGoneAtOnce() {
        LeaseKeeper keeper = new LeaseKeeper(store, "a", new LeaseSettings(3000, 1000, 0), now::get);
        keeper.tick();
        keeper.release();
        assertEquals(Role.STANDBY, keeper.role());
        assertEquals(Optional.empty(), store.holder());
    }

    /** The lease in memory, expiring by the fake clock; unreachable on demand. */
    private static final class FakeLeaseStore implements LeaseStore {
        private final AtomicLong clock;
        private String holder;
        private long expiresAt;
        private long token;
        boolean unreachable;
        boolean failUnchecked;

        FakeLeaseStore(AtomicLong clock) {
            this.clock = clock;
        }

        void expire() {
            holder = null;
        }

        private void check() throws LeaseStoreException {
            if (unreachable) {
                throw new LeaseStoreException("unreachable (fake)", null);
            }
            if (failUnchecked) {
                throw new IllegalStateException("broken pipe (fake)");
            }
            if (holder != null && clock.get() >= expiresAt) {
                holder = null;
            }
        }

        @Override
        public OptionalLong acquire(String h, long ttlMillis) {
            if (holder != null && clock.get() < expiresAt) {
                return OptionalLong.empty();
            }
            holder = h;
            expiresAt = clock.get() + ttlMillis;
            return OptionalLong.of(++token);
        }

        @Override
        public boolean renew(String h, long ttlMillis) throws LeaseStoreException {
            check();
            if (!h.equals(holder)) {
                return false;
            }
            expiresAt = clock.get() + ttlMillis;
            return true;
        }

        @Override
        public boolean release(String h) throws LeaseStoreException {
            check();
            if (!h.equals(holder)) {
                return false;
            }
            holder = null;
            return true;
        }

        @Override
        public Optional<String> holder() {
            if (holder != null && clock.get() >= expiresAt) {
                holder = null;
            }
            return Optional.ofNullable(holder);
        }

        @Override
        public OptionalLong streamLag(String group) {
            return OptionalLong.empty();
        }
    }
}
