package net.neighsyncd.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** The SONiC-like consumer against a real redis-server: woken per channel message, one pop per wake-up. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrchagentConsumerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String KEY_SET = "T_KEY_SET";
    private static final String CHANNEL = "T_CHANNEL@0";

    /** A ProducerStateTable set of one key, as the C++ producer does it: a message when the key is new. KEYS: channel, key set, _T:K. ARGV: K, value. */
    private static final String SET_ONE = String.join("\n",
            "local added = redis.call('SADD', KEYS[2], ARGV[1])",
            "redis.call('HSET', KEYS[3], 'neigh', ARGV[2])",
            "if added > 0 then redis.call('PUBLISH', KEYS[1], 'G') end",
            "return added");

    /** Sets of many keys with ONE message for the whole call, as the batched script did before issue 9. KEYS: channel, key set. ARGV: the keys. */
    private static final String SET_MANY_ONE_MESSAGE = String.join("\n",
            "local added = 0",
            "for i = 1, #ARGV do",
            "  added = added + redis.call('SADD', KEYS[2], ARGV[i])",
            "  redis.call('HSET', '_T:' .. ARGV[i], 'neigh', 'm' .. i)",
            "end",
            "if added > 0 then redis.call('PUBLISH', KEYS[1], 'G') end",
            "return added");

    private RedisServer redis;
    private Jedis producer;

    @BeforeEach
    void startRedis() throws IOException {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        redis = RedisServer.start();
        producer = redis.jedis(0);
    }

    @AfterEach
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void itPopsOncePerChannelMessageAndAtMostItsBatchSizeEachTime() throws Exception {
        try (OrchagentConsumer consumer = OrchagentConsumer.start(redis, 0, "T", 2)) {
            // given five pending keys that no message announced
            for (int i = 1; i <= 5; i++) {
                producer.sadd(KEY_SET, "k" + i);
                producer.hset("_T:k" + i, "neigh", "m" + i);
            }
            // when nothing is published, then nothing is popped
            consumer.awaitIdle(WAIT);
            assertEquals(0, consumer.wakeUpsHandled());
            assertEquals(5, producer.scard(KEY_SET));
            // when one message is published, then one pop takes two keys
            producer.publish(CHANNEL, "G");
            consumer.awaitIdle(WAIT);
            assertEquals(1, consumer.wakeUpsHandled());
            List<Entry> first = consumer.takeAll();
            assertEquals(2, first.size());
            assertEquals(Map.of("neigh", "m" + first.get(0).key().substring(1)), first.get(0).fields());
            assertEquals(3, producer.scard(KEY_SET));
            // when two more are published, then two more pops take the rest
            producer.publish(CHANNEL, "G");
            producer.publish(CHANNEL, "anything");
            consumer.awaitIdle(WAIT);
            assertEquals(3, consumer.wakeUpsReceived());
            assertEquals(3, consumer.wakeUpsHandled());
            assertEquals(0, consumer.emptyPops());
            assertEquals(5, consumer.keysPopped());
            assertEquals(3, consumer.takeAll().size());
            assertEquals(0, producer.scard(KEY_SET));
            assertEquals(Map.of("neigh", "m4"), producer.hgetAll("T:k4"));
        }
    }

    @Test
    void withEvalItPopsTheSameAndTellsTheListenerOfEachMessageInOrder() throws Exception {
        try (OrchagentConsumer consumer = OrchagentConsumer.start(redis, 0, "T",
                ProducerStateTableConsumer.ScriptCall.EVAL)) {
            List<Long> counts = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            consumer.setMessageListener((wakeUps, nanoTime) -> {
                counts.add(wakeUps);
                times.add(nanoTime);
            });
            producer.configResetStat();
            // when two keys are set, one message each
            setOne("k1");
            setOne("k2");
            consumer.awaitIdle(WAIT);
            // then both are popped by two pops sent as EVAL (the producer's two sets are EVALs too), none as EVALSHA
            Set<String> keys = consumer.takeAll().stream().map(Entry::key).collect(Collectors.toSet());
            assertEquals(Set.of("k1", "k2"), keys);
            assertEquals(2, consumer.wakeUpsHandled());
            String stats = producer.info("commandstats");
            assertTrue(stats.contains("cmdstat_eval:calls=4,"), stats);
            assertFalse(stats.contains("cmdstat_evalsha"), stats);
            // and the listener was told of each message with the count it made, in order (awaitIdle
            // took the consumer's lock after the listener ran under it: its lists are visible here)
            assertEquals(List.of(1L, 2L), counts);
            assertTrue(times.get(0) <= times.get(1));
        }
    }

    @Test
    void aMessageWithNothingToPopIsHandledByAPopThatIsCountedAsEmpty() throws Exception {
        try (OrchagentConsumer consumer = OrchagentConsumer.start(redis, 0, "T")) {
            // given an empty table
            assertEquals(0, consumer.initialWakeUps());
            // when a message arrives
            producer.publish(CHANNEL, "G");
            consumer.awaitIdle(WAIT);
            // then it is one wake-up, handled by one pop that found nothing
            assertEquals(1, consumer.wakeUpsReceived());
            assertEquals(1, consumer.wakeUpsHandled());
            assertEquals(1, consumer.emptyPops());
            assertEquals(List.of(), consumer.takeAll());
        }
    }

    @Test
    void atSubscriptionItTakesOneWakeUpPerPendingKeyCountedInTheSameTransaction() throws Exception {
        // given 300 pending keys, a delete among them, and no message
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add("k" + i);
            producer.sadd(KEY_SET, "k" + i);
            producer.hset("_T:k" + i, "neigh", "m" + i);
        }
        producer.hset("T:k7", "neigh", "old");
        producer.del("_T:k7");
        producer.sadd("T_DEL_SET", "k7");
        // when the consumer subscribes
        try (OrchagentConsumer consumer = OrchagentConsumer.start(redis, 0, "T", 128)) {
            // then this server took SCARD and SUBSCRIBE in one transaction, and the count is 300 wake-ups
            assertTrue(consumer.subscribedAtomically(), "redis-server refused SUBSCRIBE inside MULTI");
            assertEquals(300, consumer.initialWakeUps());
            // and they pop everything: three pops take keys, the other 297 find nothing
            List<Entry> popped = consumer.awaitKeys(keys, WAIT);
            consumer.awaitIdle(WAIT);
            assertEquals(300, popped.size());
            assertEquals(300, consumer.wakeUpsHandled());
            assertEquals(297, consumer.emptyPops());
            assertEquals(0, producer.scard(KEY_SET));
            Entry k7 = popped.stream().filter(e -> e.key().equals("k7")).findFirst().orElseThrow();
            assertTrue(k7.isDelete() && k7.deletedFirst(), k7.toString());
            assertFalse(producer.exists("T:k7"));
        }
    }

    @Test
    void withOneMessageFor129NewKeysOneKeyIsLeftWaitingAfterTheOnlyWakeUp() throws Exception {
        try (OrchagentConsumer consumer = OrchagentConsumer.start(redis, 0, "T", 128)) {
            // given a producer that publishes once for a call of 129 new keys (the batched script before issue 9)
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 129; i++) {
                keys.add("k" + i);
            }
            assertEquals(129L, producer.eval(SET_MANY_ONE_MESSAGE, List.of(CHANNEL, KEY_SET), keys));
            // when the consumer has handled every wake-up it got
            consumer.awaitIdle(WAIT);
            // then that was one wake-up, one pop of 128 keys, and one key is still waiting
            assertEquals(1, consumer.wakeUpsReceived());
            assertEquals(1, consumer.wakeUpsHandled());
            assertEquals(128, consumer.keysPopped());
            assertEquals(1, producer.scard(KEY_SET));
            // and only the next message, whatever its cause, takes it
            producer.publish(CHANNEL, "G");
            consumer.awaitIdle(WAIT);
            assertEquals(0, producer.scard(KEY_SET));
            assertEquals(129, consumer.takeAll().size());
        }
    }

    @Test
    void withOneMessagePerNewKey129KeysAreAllPopped() throws Exception {
        try (OrchagentConsumer consumer = OrchagentConsumer.start(redis, 0, "T", 128)) {
            // given a producer that publishes once per new key, as the C++ one does, all received before any pop
            consumer.hold();
            for (int i = 0; i < 129; i++) {
                setOne("k" + i);
            }
            consumer.awaitReceived(WAIT);
            assertEquals(129, consumer.wakeUpsReceived());
            // when the consumer has handled every wake-up
            consumer.release();
            consumer.awaitIdle(WAIT);
            // then two pops took the keys and 127 found nothing
            assertEquals(129, consumer.wakeUpsHandled());
            assertEquals(127, consumer.emptyPops());
            assertEquals(129, consumer.takeAll().size());
            assertEquals(0, producer.scard(KEY_SET));
        }
    }

    @Test
    void subscribingWhileAProducerWritesCountsEveryKeyExactlyOnce() throws Exception {
        assertEveryKeyPoppedWhenSubscribingDuringWrites(OrchagentConsumer.Subscription.IN_TRANSACTION, true);
    }

    @Test
    void withoutATransactionTheFallbackMayOverCountButLeavesNoKeyWaiting() throws Exception {
        assertEveryKeyPoppedWhenSubscribingDuringWrites(OrchagentConsumer.Subscription.THEN_SCARD, false);
    }

    private void assertEveryKeyPoppedWhenSubscribingDuringWrites(OrchagentConsumer.Subscription mode, boolean atomic)
            throws Exception {
        // given a producer adding 3000 keys one by one, a message each, a third of them written already
        CountDownLatch thirdWritten = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try (Jedis j = redis.jedis(0)) {
                for (int i = 0; i < 3000; i++) {
                    j.eval(SET_ONE, List.of(CHANNEL, KEY_SET, "_T:k" + i), List.of("k" + i, "m" + i));
                    if (i == 1000) {
                        thirdWritten.countDown();
                    }
                }
            }
        }, "writer");
        writer.start();
        assertTrue(thirdWritten.await(30, TimeUnit.SECONDS));
        // when a consumer popping one key per wake-up subscribes while the writes go on
        try (OrchagentConsumer consumer = OrchagentConsumer.start(redis.socketPath(), 0, "T", 1, mode)) {
            writer.join();
            consumer.awaitIdle(WAIT);
            // then every key was popped and none is waiting
            assertEquals(atomic, consumer.subscribedAtomically());
            assertEquals(3000, consumer.keysPopped());
            assertEquals(0, producer.scard(KEY_SET));
            assertEquals(3000, consumer.takeAll().stream().map(Entry::key).collect(Collectors.toSet()).size());
            if (atomic) {
                // and no key was counted twice: as many wake-ups as keys, none empty
                assertEquals(3000, consumer.wakeUpsHandled());
                assertEquals(0, consumer.emptyPops());
            } else {
                // a key added between SUBSCRIBE and SCARD is counted twice: an extra wake-up, never a missing one
                assertEquals(consumer.wakeUpsHandled() - 3000, consumer.emptyPops());
            }
        }
    }

    @Test
    void wakeUpsReceivedWhileHeldAreEachHandledByAPopOfTheirOwnOnceReleased() throws Exception {
        try (OrchagentConsumer consumer = OrchagentConsumer.start(redis, 0, "T", 1)) {
            // given a consumer that is held
            consumer.hold();
            // when three keys are set, a message each
            setOne("a");
            setOne("b");
            setOne("c");
            consumer.awaitReceived(WAIT);
            // then the wake-ups are counted and nothing is popped
            assertEquals(3, consumer.wakeUpsReceived());
            assertEquals(0, consumer.wakeUpsHandled());
            assertEquals(3, producer.scard(KEY_SET));
            assertThrows(IllegalStateException.class, () -> consumer.awaitIdle(WAIT));
            // when released, then one pop per wake-up takes them
            consumer.release();
            consumer.awaitIdle(WAIT);
            assertEquals(3, consumer.wakeUpsHandled());
            assertEquals(0, consumer.emptyPops());
            assertEquals(Set.of("a", "b", "c"), consumer.takeAll().stream().map(Entry::key).collect(Collectors.toSet()));
        }
    }

    @Test
    void nextWaitsForTheNextPoppedEntryAndGivesItsFields() throws Exception {
        try (OrchagentConsumer consumer = OrchagentConsumer.start(redis, 0, "T", 1)) {
            // when a key is set, then it is the next entry
            setOne("a");
            assertEquals(new Entry("a", Map.of("neigh", "m-a"), false), consumer.next(WAIT));
            // when another key is set after that, then it is the one after
            setOne("b");
            assertEquals(new Entry("b", Map.of("neigh", "m-b"), false), consumer.next(WAIT));
            assertEquals(Map.of("neigh", "m-b"), producer.hgetAll("T:b"));
        }
    }

    @Test
    void whenRedisDiesTheWaitingMethodsReportItAndCloseStillEndsTheThreads() throws Exception {
        OrchagentConsumer consumer = OrchagentConsumer.start(redis, 0, "T");
        try {
            // given a working consumer with nothing left to take
            setOne("a");
            consumer.awaitIdle(WAIT);
            assertEquals(1, consumer.takeAll().size());
            // when Redis is killed
            redis.kill();
            // then waiting on it fails with the cause instead of timing out
            AssertionError e = assertThrows(AssertionError.class, () -> consumer.next(WAIT));
            assertTrue(e.getMessage().startsWith("the consumer stopped"), e.getMessage());
            assertThrows(AssertionError.class, () -> consumer.awaitIdle(WAIT));
        } finally {
            consumer.close();
        }
        // and no thread of the consumer is left
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("orchagent-consumer-") && t.isAlive()).map(Thread::getName)
                .toList());
    }

    private void setOne(String key) {
        producer.eval(SET_ONE, List.of(CHANNEL, KEY_SET, "_T:" + key), List.of(key, "m-" + key));
    }
}
