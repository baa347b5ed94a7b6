package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.engine.SinkException;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The APPL_DB sink component: configuration, connecting, failing and reconnecting. */
@Timeout(60)
class AppDbNeighborSinkTest extends RealRedisTest {
    private static final String K1 = "Ethernet0:10.0.0.1";
    private static final String MAC1 = "aa:bb:cc:dd:ee:01";

    @TempDir
    Path tmp;

    private final AppDbNeighborSink sink = new AppDbNeighborSink();

    @AfterEach
    void deactivate() {
        sink.deactivate();
    }

    private Map<String, Object> config(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void withARedisURLTheChangesReachOrchagentOnThatDatabase() throws Exception {
        try (OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 3, "NEIGH_TABLE")) {
            // given
            sink.configure(config("redisUrl", redis.unixUrl(3)));
            // when
            assertDoesNotThrowSink(() -> sink.apply(List.of(set(K1, MAC1), del("Ethernet4:10.0.0.4"))));
            // then orchagent, woken on NEIGH_TABLE_CHANNEL@3, pops both
            List<Entry> popped = orchagent.awaitKeys(List.of(K1, "Ethernet4:10.0.0.4"), Duration.ofSeconds(10));
            assertEquals(2, popped.size());
            assertTrue(popped.contains(new Entry(K1, Map.of("neigh", MAC1, "family", "IPv4"), false)));
            assertTrue(popped.contains(new Entry("Ethernet4:10.0.0.4", Map.of(), true)));
        }
        assertTrue(dump(0).isEmpty());
    }

    @Test
    void withSONiCsDatabaseConfigJsonItWritesAPPLDBOverTheUnixSocket() throws Exception {
        // given a database_config.json whose APPL_DB is number 2 and whose TCP port nobody serves
        Path file = tmp.resolve("database_config.json");
        Files.writeString(file, DatabaseLocatorTest.sonicConfig(redis.socketPath().toString(), 2, 4, 6));
        sink.configure(config("databaseConfig", file.toString()));
        // when
        assertDoesNotThrowSink(() -> sink.apply(List.of(set(K1, MAC1))));
        // then
        assertEquals(Set.of(K1), dump(2).get("NEIGH_TABLE_KEY_SET"));
    }

    @Test
    void withNoConfigurationItUsesSONiCsDefaultFileAndSaysSoWhenThatFails() {
        // given no configuration at all
        sink.configure(Map.of());
        assertEquals(RedisSettings.DEFAULTS, sink.settings());
        assumeFalse(Files.exists(Path.of(DatabaseLocator.DEFAULT_DATABASE_CONFIG)),
                "this machine is a SONiC switch (" + DatabaseLocator.DEFAULT_DATABASE_CONFIG
                        + " exists), so the default configuration works here");
        // when / then
        SinkException e = assertThrows(SinkException.class, () -> sink.apply(List.of(set(K1, MAC1))));
        assertTrue(e.getMessage().contains(DatabaseLocator.DEFAULT_DATABASE_CONFIG), e.getMessage());
    }

    @Test
    void anEmptyListNeedsNoRedis() throws SinkException {
        sink.configure(config("redisUrl", "unix:///nonexistent/redis.sock"));
        sink.apply(List.of());
    }

    @Test
    void whileRedisIsDownApplyThrowsAndAfterARestartItReconnects() throws Exception {
        // given a working sink
        sink.configure(config("redisUrl", redis.unixUrl(0), "connectTimeoutMillis", 500));
        sink.apply(List.of(set(K1, MAC1)));
        // when Redis is gone
        redis.kill();
        // then each apply fails with a SinkException, the core's cue to retry
        assertThrows(SinkException.class, () -> sink.apply(List.of(set(K1, MAC1))));
        assertThrows(SinkException.class, () -> sink.apply(List.of(set(K1, MAC1))));
        // when Redis is back, empty and without scripts
        redis.restart();
        // then the next apply reconnects, loads the scripts and writes
        sink.apply(List.of(set(K1, MAC1)));
        assertEquals(Set.of(K1), dump(0).get("NEIGH_TABLE_KEY_SET"));
    }

    @Test
    void aConnectionRedisDroppedInBetweenFailsOneApplyAndTheNextReconnects() throws Exception {
        // given a working sink whose Redis restarts between two writes
        sink.configure(config("redisUrl", redis.unixUrl(0)));
        sink.apply(List.of(set(K1, MAC1)));
        redis.restart();
        // when / then: at most one failure, then success on a new connection
        try {
            sink.apply(List.of(set(K1, MAC1)));
        } catch (SinkException expected) {
            sink.apply(List.of(set(K1, MAC1)));
        }
        assertEquals(Set.of(K1), dump(0).get("NEIGH_TABLE_KEY_SET"));
    }

    @Test
    void anInvalidChangeOfConfigurationKeepsTheLastGoodOne() {
        // given
        sink.configure(config("redisUrl", redis.unixUrl(0), "batchSize", 64));
        RedisSettings good = sink.settings();
        // when
        sink.modified(config("redisUrl", redis.unixUrl(0), "batchSize", 0));
        sink.modified(config("redisUrl", "http://example.com/", "batchSize", 64));
        // then
        assertEquals(good, sink.settings());
        // when a valid change arrives, then it takes effect
        sink.modified(config("redisUrl", redis.unixUrl(0), "batchSize", "128"));
        assertEquals(128, sink.settings().batchSize());
    }

    @Test
    void healthReportsARejectedConfigurationUntilAGoodOneArrives() {
        // given
        sink.configure(config("redisUrl", redis.unixUrl(0)));
        assertEquals(Set.of(), sink.problems());
        // when
        sink.modified(config("redisUrl", redis.unixUrl(0), "batchSize", 0));
        // then
        assertEquals(1, sink.problems().size());
        net.neighsyncd.api.health.Problem problem = sink.problems().iterator().next();
        assertEquals(net.neighsyncd.api.health.Impact.DEGRADED, problem.impact(), "the last good configuration writes on");
        assertTrue(problem.reason().contains("batchSize=0 is out of range"), sink.problems().toString());
        // when a good one arrives
        sink.modified(config("redisUrl", redis.unixUrl(0), "batchSize", 32));
        assertEquals(Set.of(), sink.problems());
    }

    @Test
    void healthReportsAPPLDBUnreachableUntilAWriteSucceeds() throws Exception {
        // given
        sink.configure(config("redisUrl", redis.unixUrl(0), "connectTimeoutMillis", 500));
        sink.apply(List.of(set(K1, MAC1)));
        // when
        redis.kill();
        assertThrows(SinkException.class, () -> sink.apply(List.of(set(K1, MAC1))));
        // then
        assertTrue(sink.problems().stream().anyMatch(p -> p.impact() == net.neighsyncd.api.health.Impact.NOT_READY
                && p.reason().startsWith("APPL_DB unreachable")), sink.problems().toString());
        // when Redis is back and a write succeeds
        redis.restart();
        sink.apply(List.of(set(K1, MAC1)));
        assertEquals(Set.of(), sink.problems());
    }

    @Test
    void aChangedLocationTakesEffectAtTheNextApply() throws Exception {
        // given a sink writing database 0
        sink.configure(config("redisUrl", redis.unixUrl(0)));
        sink.apply(List.of(set(K1, MAC1)));
        // when the configuration names database 7
        sink.modified(config("redisUrl", redis.unixUrl(7)));
        sink.apply(List.of(set("Ethernet8:10.0.0.8", MAC1)));
        // then
        assertEquals(Set.of("Ethernet8:10.0.0.8"), dump(7).get("NEIGH_TABLE_KEY_SET"));
        assertEquals(Set.of(K1), dump(0).get("NEIGH_TABLE_KEY_SET"));
    }

    @Test
    void afterSCRIPTFLUSHTheSinkReloadsItsScriptsAndSucceeds() throws Exception {
        sink.configure(config("redisUrl", redis.unixUrl(0), "batchSize", 1));
        sink.apply(List.of(set(K1, MAC1)));
        try (Jedis admin = redis.jedis(0)) {
            admin.scriptFlush();
        }
        sink.apply(List.of(del(K1)));
        assertEquals(1, sink.scriptReloads());
        assertEquals(Set.of(K1), dump(0).get("NEIGH_TABLE_DEL_SET"));
    }

    private interface SinkCall {
        void run() throws SinkException;
    }

    private static void assertDoesNotThrowSink(SinkCall call) {
        try {
            call.run();
        } catch (SinkException e) {
            throw new AssertionError("apply failed: " + e.getMessage(), e);
        }
    }
}
