package net.neighsyncd.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The fixtures themselves: a real redis-server process and the ProducerStateTable consumer. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisServerTest {

    @Test
    void aServerAnswersOnItsUnixSocketPerDatabaseAndRestartsEmptyOnTheSameSocket() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        Path dir;
        try (RedisServer redis = RedisServer.start()) {
            dir = redis.directory();
            // given data in two databases
            Jedis db0 = redis.jedis(0);
            Jedis db4 = redis.jedis(4);
            db0.set("k", "zero");
            db4.set("k", "four");
            assertEquals("zero", db0.get("k"));
            assertEquals("four", db4.get("k"));
            assertTrue(redis.isRunning());
            assertTrue(redis.unixUrl(4).startsWith("unix:///"));
            // when it is killed, then clients fail
            redis.kill();
            assertFalse(redis.isRunning());
            assertThrows(JedisConnectionException.class, () -> db0.get("k"));
            // when it restarts, then the same socket answers, with no data
            Path socket = redis.socketPath();
            redis.restart();
            assertEquals(socket, redis.socketPath());
            try (Jedis again = redis.jedis(4)) {
                assertNull(again.get("k"));
            }
            // when it is stopped with SIGTERM, then it ends
            redis.stop();
            assertFalse(redis.isRunning());
        }
        assertFalse(Files.exists(dir), "the temporary directory is removed");
    }

    @Test
    void theConsumerPopsSetsAndDeletesAsOrchagentWould() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        try (RedisServer redis = RedisServer.start()) {
            Jedis j = redis.jedis(0);
            ProducerStateTableConsumer consumer = new ProducerStateTableConsumer(j, "T");
            // given a pending set of a, a pending delete of b, and b applied before
            j.hset("T:b", "f", "old");
            j.sadd("T_KEY_SET", "a", "b");
            j.hset("_T:a", Map.of("f", "1"));
            j.sadd("T_DEL_SET", "b");
            // when one pop takes both
            List<ProducerStateTableConsumer.Entry> popped = consumer.pop();
            // then
            assertEquals(2, popped.size());
            assertTrue(popped.contains(new ProducerStateTableConsumer.Entry("a", Map.of("f", "1"), false)));
            assertTrue(popped.contains(new ProducerStateTableConsumer.Entry("b", Map.of(), true)));
            assertEquals(Map.of("a", Map.of("f", "1")), consumer.appliedEntries());
            assertTrue(consumer.pendingKeys().isEmpty());
            assertTrue(consumer.pendingDeletes().isEmpty());
            assertEquals(java.util.Set.of("T:a"), consumer.redisKeys());
            assertTrue(consumer.pop().isEmpty());
        }
    }
}
