package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.engine.SinkException;
import net.neighsyncd.api.warmrestart.WarmRestartStore;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer;
import org.junit.jupiter.api.AfterEach;
import net.neighsyncd.testsupport.BundleInFelix;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The APPL_DB sink as the {@link WarmRestartStore}: SONiC's warm-restart tables and the APPL_DB reads of a warm start. */
@Timeout(120)
class AppDbNeighborSinkWarmRestartTest extends RealRedisTest {
    private static final int APPL_DB = 0;
    private static final int CONFIG_DB = 4;
    private static final int STATE_DB = 6;
    private static final String APP = WarmRestartStore.APP;
    private static final String DOCKER = WarmRestartStore.DOCKER;
    private static final String APP_KEY = "WARM_RESTART_TABLE|neighsyncd";
    private static final String K1 = "Ethernet0:10.0.0.1";
    private static final String K2 = "Ethernet4:10.0.0.2";
    private static final String K3 = "Vlan1000:fc00::3";
    private static final String MAC1 = "aa:bb:cc:dd:ee:01";
    private static final String MAC2 = "aa:bb:cc:dd:ee:02";

    @TempDir
    Path tmp;

    private final AppDbNeighborSink sink = new AppDbNeighborSink();

    @AfterEach
    void deactivate() {
        sink.deactivate();
    }

    private void activate() {
        Map<String, Object> config = new HashMap<>();
        config.put("redisUrl", redis.unixUrl(APPL_DB));
        config.put("connectTimeoutMillis", 500);
        sink.configure(config);
    }

    private static void hset(int db, String key, String... fieldValue) {
        try (Jedis j = redis.jedis(db)) {
            for (int i = 0; i < fieldValue.length; i += 2) {
                j.hset(key, fieldValue[i], fieldValue[i + 1]);
            }
        }
    }

    private static Map<String, String> hgetAll(int db, String key) {
        try (Jedis j = redis.jedis(db)) {
            return new TreeMap<>(j.hgetAll(key));
        }
    }

    private static Map<NeighborKey, NeighborRecord> records(String... keyMac) {
        Map<NeighborKey, NeighborRecord> m = new HashMap<>();
        for (int i = 0; i < keyMac.length; i += 2) {
            NeighborKey k = NeighborKey.parse(keyMac[i]);
            m.put(k, new NeighborRecord(k, MacAddress.parse(keyMac[i + 1])));
        }
        return m;
    }

    @Test
    void beginStartIsColdWhenWarmRestartIsEnabledNowhere() throws Exception {
        // given nothing in STATE_DB
        activate();
        // when
        boolean warm = sink.beginStart(APP, DOCKER);
        // then
        assertFalse(warm);
        assertEquals(Map.of("restore_count", "0"), hgetAll(STATE_DB, APP_KEY));
    }

    @Test
    void beginStartIsColdAndResetsTheCountWhenEnableIsAnythingButTrue() throws Exception {
        // given a restore count left from earlier warm starts, and enable values that are not "true"
        activate();
        hset(STATE_DB, APP_KEY, "restore_count", "7", "state", "reconciled");
        hset(STATE_DB, "WARM_RESTART_ENABLE_TABLE|system", "enable", "false");
        hset(STATE_DB, "WARM_RESTART_ENABLE_TABLE|swss", "enable", "True");
        // and "true" where it does not count: another docker, another field, CONFIG_DB, APPL_DB
        hset(STATE_DB, "WARM_RESTART_ENABLE_TABLE|bgp", "enable", "true");
        hset(STATE_DB, "WARM_RESTART_ENABLE_TABLE|system", "enabled", "true");
        hset(CONFIG_DB, "WARM_RESTART_ENABLE_TABLE|system", "enable", "true");
        hset(APPL_DB, "WARM_RESTART_ENABLE_TABLE|system", "enable", "true");
        // when
        boolean warm = sink.beginStart(APP, DOCKER);
        // then
        assertFalse(warm);
        // only the count is written: the state an earlier run left stays, as with SONiC's neighsyncd
        assertEquals(Map.of("restore_count", "0", "state", "reconciled"), hgetAll(STATE_DB, APP_KEY));
    }

    @Test
    void beginStartFallsBackToColdWhenEnabledButThereIsNoRestoreCount() throws Exception {
        // given warm restart enabled, but STATE_DB flushed of the app's entry
        activate();
        hset(STATE_DB, "WARM_RESTART_ENABLE_TABLE|system", "enable", "true");
        // when
        boolean warm = sink.beginStart(APP, DOCKER);
        // then
        assertFalse(warm);
        assertEquals(Map.of("restore_count", "0"), hgetAll(STATE_DB, APP_KEY));
    }

    @Test
    void beginStartFallsBackToColdWhenTheRestoreCountIsNotACount() throws Exception {
        // given
        activate();
        hset(STATE_DB, "WARM_RESTART_ENABLE_TABLE|swss", "enable", "true");
        for (String bad : new String[] {"", "abc", "-1", "2.5"}) {
            hset(STATE_DB, APP_KEY, "restore_count", bad);
            // when
            boolean warm = sink.beginStart(APP, DOCKER);
            // then
            assertFalse(warm, bad);
            assertEquals(Map.of("restore_count", "0"), hgetAll(STATE_DB, APP_KEY), bad);
        }
    }

    @Test
    void beginStartIsWarmWhenTheSystemIsEnabledAndARestoreCountExists() throws Exception {
        // given
        activate();
        hset(STATE_DB, "WARM_RESTART_ENABLE_TABLE|system", "enable", "true");
        hset(STATE_DB, APP_KEY, "restore_count", "3", "state", "reconciled");
        // when
        boolean warm = sink.beginStart(APP, DOCKER);
        // then
        assertTrue(warm);
        assertEquals(Map.of("restore_count", "4", "state", "initialized"), hgetAll(STATE_DB, APP_KEY));
    }

    @Test
    void beginStartIsWarmWhenSwssIsEnabledAndARestoreCountExists() throws Exception {
        // given
        activate();
        hset(STATE_DB, "WARM_RESTART_ENABLE_TABLE|system", "enable", "false");
        hset(STATE_DB, "WARM_RESTART_ENABLE_TABLE|swss", "enable", "true");
        hset(STATE_DB, APP_KEY, "restore_count", "3");
        // when
        boolean warm = sink.beginStart(APP, DOCKER);
        // then
        assertTrue(warm);
        assertEquals(Map.of("restore_count", "4", "state", "initialized"), hgetAll(STATE_DB, APP_KEY));
        // and a second start counts on
        assertTrue(sink.beginStart(APP, DOCKER));
        assertEquals("5", hgetAll(STATE_DB, APP_KEY).get("restore_count"));
    }

    @Test
    void beginStartKeepsTheOtherFieldsAndAppsOfTheTable() throws Exception {
        // given
        activate();
        hset(STATE_DB, "WARM_RESTART_ENABLE_TABLE|swss", "enable", "true");
        hset(STATE_DB, APP_KEY, "restore_count", "0", "restore_check", "passed");
        hset(STATE_DB, "WARM_RESTART_TABLE|orchagent", "restore_count", "9", "state", "reconciled");
        // when
        assertTrue(sink.beginStart(APP, DOCKER));
        // then
        assertEquals(Map.of("restore_count", "1", "state", "initialized", "restore_check", "passed"),
                hgetAll(STATE_DB, APP_KEY));
        assertEquals(Map.of("restore_count", "9", "state", "reconciled"),
                hgetAll(STATE_DB, "WARM_RESTART_TABLE|orchagent"));
    }

    @Test
    void theTablesAreWhereDatabaseConfigJsonPutsSTATEDBAndCONFIGDBWithTheirSeparators() throws Exception {
        // given a database_config.json with STATE_DB 9 (separator ':') and CONFIG_DB 10
        Path file = tmp.resolve("database_config.json");
        Files.writeString(file, DatabaseLocatorTest.sonicConfig(redis.socketPath().toString(), 0, 10, 9)
                .replace("\"id\": 9, \"separator\": \"|\"", "\"id\": 9, \"separator\": \":\""));
        sink.configure(Map.<String, Object>of("databaseConfig", file.toString()));
        hset(9, "WARM_RESTART_ENABLE_TABLE:system", "enable", "true");
        hset(9, "WARM_RESTART_TABLE:neighsyncd", "restore_count", "1");
        hset(10, "WARM_RESTART|swss", "neighsyncd_timer", "42");
        // when / then
        assertTrue(sink.beginStart(APP, DOCKER));
        assertEquals("2", hgetAll(9, "WARM_RESTART_TABLE:neighsyncd").get("restore_count"));
        assertEquals(OptionalInt.of(42), sink.reconcileTimerSeconds(APP, DOCKER));
        sink.markNeighborsRestored();
        assertEquals(Map.of("restored", "true"), hgetAll(9, "NEIGH_RESTORE_TABLE:Flags"));
        // and the default databases are untouched
        assertTrue(dump(STATE_DB).isEmpty());
    }

    @Test
    void aChangedLocationTakesEffectAtTheNextCall() throws Exception {
        // given a sink using STATE_DB 6
        activate();
        sink.setState(APP, WarmRestartStore.STATE_RESTORED);
        assertEquals(Map.of("state", "restored"), hgetAll(STATE_DB, APP_KEY));
        // when the configuration moves STATE_DB to 11
        Path file = tmp.resolve("database_config.json");
        Files.writeString(file, DatabaseLocatorTest.sonicConfig(redis.socketPath().toString(), 0, 4, 11));
        sink.modified(Map.<String, Object>of("databaseConfig", file.toString()));
        sink.setState(APP, WarmRestartStore.STATE_RECONCILED);
        // then
        assertEquals(Map.of("state", "reconciled"), hgetAll(11, APP_KEY));
        assertEquals(Map.of("state", "restored"), hgetAll(STATE_DB, APP_KEY));
    }

    @Test
    void setStateWritesTheStateAndNothingElse() throws Exception {
        // given
        activate();
        hset(STATE_DB, APP_KEY, "restore_count", "2", "state", "initialized");
        // when / then
        for (String state : new String[] {WarmRestartStore.STATE_RESTORED, WarmRestartStore.STATE_RECONCILED}) {
            sink.setState(APP, state);
            assertEquals(Map.of("restore_count", "2", "state", state), hgetAll(STATE_DB, APP_KEY));
        }
        assertEquals(Set.of(APP_KEY), dump(STATE_DB).keySet());
    }

    @Test
    void reconcileTimerSecondsIsReadAsStrtoulInBaseZeroDoes() throws Exception {
        // given
        activate();
        Map<String, OptionalInt> cases = new TreeMap<>();
        cases.put("1", OptionalInt.of(1));
        cases.put("5", OptionalInt.of(5));
        cases.put("120", OptionalInt.of(120));
        cases.put("9999", OptionalInt.of(9999));
        cases.put("010", OptionalInt.of(8)); // octal
        cases.put("0x1e", OptionalInt.of(30)); // hexadecimal
        cases.put("0X1E", OptionalInt.of(30));
        cases.put("  +7", OptionalInt.of(7)); // white space and a sign
        cases.put("30s", OptionalInt.of(30)); // up to the first non-digit
        cases.put("5.5", OptionalInt.of(5));
        cases.put("08", OptionalInt.empty()); // octal 0, then an invalid digit
        cases.put("0x", OptionalInt.empty()); // "0", then an x that starts no number
        cases.put("0", OptionalInt.empty());
        cases.put("10000", OptionalInt.empty());
        cases.put("0x270f", OptionalInt.of(9999));
        cases.put("0x2710", OptionalInt.empty());
        cases.put("-5", OptionalInt.empty()); // strtoul wraps it far above the maximum
        cases.put("-0", OptionalInt.empty());
        cases.put("abc", OptionalInt.empty());
        cases.put("", OptionalInt.empty());
        cases.put("99999999999999999999", OptionalInt.empty());
        for (Map.Entry<String, OptionalInt> c : cases.entrySet()) {
            hset(CONFIG_DB, "WARM_RESTART|swss", "neighsyncd_timer", c.getKey());
            // when / then
            assertEquals(c.getValue(), sink.reconcileTimerSeconds(APP, DOCKER), "\"" + c.getKey() + "\"");
        }
    }

    @Test
    void reconcileTimerSecondsIsEmptyWhenAbsentAndReadsOnlyTheAppsFieldOfTheDocker() throws Exception {
        // given nothing configured
        activate();
        assertEquals(OptionalInt.empty(), sink.reconcileTimerSeconds(APP, DOCKER));
        // and timers of others: another app, another docker, STATE_DB
        hset(CONFIG_DB, "WARM_RESTART|swss", "orchagent_timer", "30");
        hset(CONFIG_DB, "WARM_RESTART|bgp", "neighsyncd_timer", "31");
        hset(STATE_DB, "WARM_RESTART|swss", "neighsyncd_timer", "32");
        // when / then
        assertEquals(OptionalInt.empty(), sink.reconcileTimerSeconds(APP, DOCKER));
        assertEquals(OptionalInt.of(31), sink.reconcileTimerSeconds(APP, "bgp"));
        assertEquals(OptionalInt.of(30), sink.reconcileTimerSeconds("orchagent", DOCKER));
    }

    @Test
    void theRestoredFlagIsReadAndWrittenInSTATEDB() throws Exception {
        // given no flag
        activate();
        assertFalse(sink.neighborsRestored());
        // when it is something else than "true", then not restored
        hset(STATE_DB, "NEIGH_RESTORE_TABLE|Flags", "restored", "false");
        assertFalse(sink.neighborsRestored());
        hset(STATE_DB, "NEIGH_RESTORE_TABLE|Flags", "restored", "TRUE");
        assertFalse(sink.neighborsRestored());
        // when marked, then restored
        sink.markNeighborsRestored();
        assertTrue(sink.neighborsRestored());
        assertEquals(Map.of("restored", "true"), hgetAll(STATE_DB, "NEIGH_RESTORE_TABLE|Flags"));
        // and as restore_neighbors.py writes it
        try (Jedis j = redis.jedis(STATE_DB)) {
            j.del("NEIGH_RESTORE_TABLE|Flags");
            assertFalse(sink.neighborsRestored());
            j.hset("NEIGH_RESTORE_TABLE|Flags", "restored", "true");
        }
        assertTrue(sink.neighborsRestored());
    }

    @Test
    void clearPendingRemovesExactlyTheKeySetTheDelSetAndThePendingHashes() throws Exception {
        // given pending sets and deletes over several SCAN pages and DEL batches
        activate();
        List<NeighborChange> changes = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            changes.add(set("Ethernet" + (i % 32) + ":10.1." + (i >> 8) + "." + (i & 255), MAC1));
        }
        changes.add(del(K2));
        sink.apply(changes);
        Map<String, Object> foreign = new TreeMap<>();
        try (Jedis j = redis.jedis(APPL_DB)) {
            assertEquals(12_001, j.scard("NEIGH_TABLE_KEY_SET"));
            // and keys that are not the producer's pending objects
            j.hset("NEIGH_TABLE:" + K1, Map.of("neigh", MAC1, "family", "IPv4"));
            j.hset("_ROUTE_TABLE:x", Map.of("a", "b"));
            j.sadd("ROUTE_TABLE_KEY_SET", "x");
            j.hset("_NEIGH_TABLEX:Ethernet0:10.0.0.1", Map.of("a", "b"));
            j.hset("_NEIGH_TABLE_X:Ethernet0:10.0.0.1", Map.of("a", "b"));
            j.hset("__NEIGH_TABLE:Ethernet0:10.0.0.1", Map.of("a", "b"));
            j.hset("x_NEIGH_TABLE:Ethernet0:10.0.0.1", Map.of("a", "b"));
            j.hset("_NEIGH_TABLE|Ethernet0:10.0.0.1", Map.of("a", "b"));
            j.sadd("NEIGH_TABLE_KEY_SET_OLD", "x");
            j.sadd("XNEIGH_TABLE_KEY_SET", "x");
            j.sadd("NEIGH_TABLE_KEY_SET:x", "x");
            j.sadd("NEIGH_TABLE_DEL_SETS", "x");
            j.set("_neigh_table:Ethernet0:10.0.0.1", "lower case");
            foreign.putAll(dump(APPL_DB));
        }
        foreign.keySet().removeIf(k -> k.startsWith("_NEIGH_TABLE:") || k.equals("NEIGH_TABLE_KEY_SET")
                || k.equals("NEIGH_TABLE_DEL_SET"));
        assertEquals(13, foreign.size(), foreign.keySet().toString());
        // and the same names in STATE_DB
        hset(STATE_DB, "_NEIGH_TABLE:" + K1, "a", "b");
        try (Jedis j = redis.jedis(STATE_DB)) {
            j.sadd("NEIGH_TABLE_KEY_SET", K1);
        }
        Map<String, Object> state = dump(STATE_DB);
        // when
        sink.clearPending();
        // then
        assertEquals(foreign, dump(APPL_DB));
        assertEquals(state, dump(STATE_DB));
        // and the consumer has nothing to pop
        try (Jedis j = redis.jedis(APPL_DB)) {
            assertEquals(List.of(), new ProducerStateTableConsumer(j, "NEIGH_TABLE").drainAllNotLikeOrchagent());
        }
        // and clearing again is harmless
        sink.clearPending();
        assertEquals(foreign, dump(APPL_DB));
    }

    @Test
    void afterClearPendingTheWriterReadsTheStoreBack() throws Exception {
        // given a pending change, read back
        activate();
        sink.apply(List.of(set(K1, MAC1)));
        sink.readState();
        assertFalse(sink.stateInDoubt());
        // when
        sink.clearPending();
        // then the change is gone, and the sink says so
        assertTrue(sink.stateInDoubt());
        assertEquals(Map.of(), sink.readState());
        assertFalse(sink.stateInDoubt());
        // and clearing nothing raises no doubt
        sink.clearPending();
        assertFalse(sink.stateInDoubt());
    }

    @Test
    void readAppliedIsTheAppliedEntriesIgnoringAnythingPending() throws Exception {
        // given K1 and K2 applied
        activate();
        sink.apply(List.of(set(K1, MAC1), set(K2, MAC1)));
        try (Jedis j = redis.jedis(APPL_DB)) {
            new ProducerStateTableConsumer(j, "NEIGH_TABLE").drainAllNotLikeOrchagent();
            // and pending: K1 changed, K2 deleted, K3 new
            sink.apply(List.of(set(K1, MAC2), del(K2), set(K3, MAC1)));
            // and entries that are not neighbors, and other tables
            j.hset("NEIGH_TABLE:garbage", Map.of("neigh", MAC1, "family", "IPv4"));
            j.hset("NEIGH_TABLE:Ethernet0:10.0.0.7", Map.of("neigh", MAC1, "family", "IPv6"));
            j.set("NEIGH_TABLE:Ethernet0:10.0.0.9", "a string");
            j.hset("NEIGH_TABLEX:Ethernet0:10.0.0.10", Map.of("neigh", MAC1, "family", "IPv4"));
            j.hset("_NEIGH_TABLE:Ethernet0:10.0.0.11", Map.of("neigh", MAC1, "family", "IPv4"));
        }
        Map<String, Object> before = dump(APPL_DB);
        // when
        Map<NeighborKey, NeighborRecord> applied = sink.readApplied();
        // then
        assertEquals(records(K1, MAC1, K2, MAC1), applied);
        // and nothing changed
        assertEquals(before, dump(APPL_DB));
        // and the effective state is another matter
        assertEquals(records(K1, MAC2, K3, MAC1), sink.readState());
    }

    @Test
    void readAppliedOfAnEmptyTableIsEmpty() throws Exception {
        activate();
        sink.apply(List.of(set(K1, MAC1)));
        assertEquals(Map.of(), sink.readApplied());
    }

    @Test
    void unreadableAppliedNamesEveryAppliedEntryReadAppliedLeavesOut() throws Exception {
        // given one entry as neighsyncd writes it, and applied entries it would not write
        activate();
        try (Jedis j = redis.jedis(APPL_DB)) {
            j.hset("NEIGH_TABLE:" + K1, Map.of("neigh", MAC1, "family", "IPv4", "extra", "kept"));
            j.hset("NEIGH_TABLE:Ethernet0:FC00::1", Map.of("neigh", MAC1, "family", "IPv6"));
            j.hset("NEIGH_TABLE:Ethernet0:10.0.0.3", Map.of("neigh", "AA:BB:CC:DD:EE:03", "family", "IPv4"));
            j.hset("NEIGH_TABLE:Ethernet0:10.0.0.4", Map.of("neigh", MAC1));
            j.hset("NEIGH_TABLE:garbage", Map.of("neigh", MAC1, "family", "IPv4"));
            j.set("NEIGH_TABLE:Ethernet0:10.0.0.9", "a string");
            // and a pending entry, which is not applied
            j.hset("_NEIGH_TABLE:Ethernet0:10.0.0.11", Map.of("neigh", "bad"));
        }
        // when
        Set<String> unreadable = sink.unreadableApplied();
        // then
        assertEquals(Set.of("Ethernet0:FC00::1", "Ethernet0:10.0.0.3", "Ethernet0:10.0.0.4", "garbage",
                "Ethernet0:10.0.0.9"), unreadable);
        assertEquals(records(K1, MAC1), sink.readApplied());
    }

    @Test
    void deleteAppliedDeletesEachKeyAsItIsSpelled() throws Exception {
        // given applied entries whose keys are no canonical neighbor keys
        activate();
        try (Jedis j = redis.jedis(APPL_DB);
                OrchagentConsumer orchagent = OrchagentConsumer.start(redis, APPL_DB, "NEIGH_TABLE")) {
            j.hset("NEIGH_TABLE:Ethernet0:FC00::1", Map.of("neigh", MAC1, "family", "IPv6"));
            j.hset("NEIGH_TABLE:garbage", Map.of("neigh", MAC1, "family", "IPv4"));
            j.hset("NEIGH_TABLE:" + K2, Map.of("neigh", MAC2, "family", "IPv4"));
            // when
            sink.deleteApplied(List.of("Ethernet0:FC00::1", "garbage"));
            // then orchagent receives a delete of each, and nothing else
            orchagent.awaitIdle(java.time.Duration.ofSeconds(10));
            List<String> popped = new ArrayList<>();
            orchagent.takeAll().forEach(e -> popped.add(e.toString()));
            assertEquals(Set.of("DEL Ethernet0:FC00::1", "DEL garbage"), Set.copyOf(popped));
            assertEquals(2, popped.size());
            assertEquals(Set.of("NEIGH_TABLE:" + K2), j.keys("NEIGH_TABLE:*"));
        }
    }

    @Test
    void whileRedisIsDownEveryMethodThrowsASinkExceptionAndAfterwardsTheyWorkAgain() throws Exception {
        // given a sink that has used every connection
        activate();
        sink.beginStart(APP, DOCKER);
        sink.reconcileTimerSeconds(APP, DOCKER);
        sink.readApplied();
        // when Redis is gone
        redis.kill();
        // then
        List<SinkCall> calls = List.of(
                () -> sink.beginStart(APP, DOCKER),
                () -> sink.setState(APP, WarmRestartStore.STATE_RESTORED),
                () -> sink.reconcileTimerSeconds(APP, DOCKER),
                sink::neighborsRestored,
                sink::markNeighborsRestored,
                sink::clearPending,
                sink::readApplied);
        for (SinkCall c : calls) {
            assertThrows(SinkException.class, c::run);
            assertThrows(SinkException.class, c::run);
        }
        // when Redis is back, then each works on a new connection
        redis.restart();
        for (SinkCall c : calls) {
            c.run();
        }
        assertEquals(Map.of("restore_count", "0", "state", "restored"), hgetAll(STATE_DB, APP_KEY));
        assertTrue(sink.neighborsRestored());
    }

    @Test
    void aConnectionRedisDroppedInBetweenFailsAtMostOneCall() throws Exception {
        // given
        activate();
        sink.setState(APP, WarmRestartStore.STATE_INITIALIZED);
        redis.restart();
        // when / then
        try {
            sink.setState(APP, WarmRestartStore.STATE_RESTORED);
        } catch (SinkException expected) {
            sink.setState(APP, WarmRestartStore.STATE_RESTORED);
        }
        assertEquals(Map.of("state", "restored"), hgetAll(STATE_DB, APP_KEY));
    }

    @Test
    void warmRestartCallsFromAnotherThreadDoNotDisturbTheWriter() throws Exception {
        // given a writer applying batches while a startup thread works the warm-restart tables
        activate();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int round = 0; round < 200; round++) {
                    List<NeighborChange> batch = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        batch.add(set("Ethernet" + round + ":10.2." + round + "." + i, MAC1));
                    }
                    sink.apply(batch);
                    if (round % 10 == 0) {
                        sink.readState();
                    }
                }
                return null;
            });
            Future<?> startup = pool.submit(() -> {
                for (int round = 0; round < 200; round++) {
                    sink.beginStart(APP, DOCKER);
                    sink.setState(APP, WarmRestartStore.STATE_RESTORED);
                    sink.reconcileTimerSeconds(APP, DOCKER);
                    sink.neighborsRestored();
                    sink.readApplied();
                }
                return null;
            });
            // when / then
            writer.get();
            startup.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(10_000, sink.readState().size());
        assertEquals(Map.of("restore_count", "0", "state", "restored"), hgetAll(STATE_DB, APP_KEY));
    }

    @Test
    void theComponentIsRegisteredAsNeighborSinkAndWarmRestartStoreOfItsPipelinesNamespace() throws Exception {
        // given the bundle in Felix with SCR, no configuration
        ComponentDescriptionDTO c;
        String[] interfaces;
        Object applDb;
        Object namespace;
        try (BundleInFelix felix = BundleInFelix.start(AppDbNeighborSink.class, "redis.clients.jedis.Jedis",
                "com.google.gson.Gson", "org.osgi.service.cm.ConfigurationAdmin")) {
            c = felix.component(AppDbNeighborSink.class.getName());
            // when: SCR has activated it (an immediate component) and it registered its services
            org.osgi.framework.BundleContext context = felix.bundle().getBundleContext();
            org.osgi.util.tracker.ServiceTracker<NeighborSink, NeighborSink> sinks =
                    new org.osgi.util.tracker.ServiceTracker<>(context, NeighborSink.class, null);
            sinks.open();
            try {
                assertNotNull(sinks.waitForService(10_000), "no NeighborSink registered");
                org.osgi.framework.ServiceReference<NeighborSink> ref = sinks.getServiceReference();
                interfaces = (String[]) ref.getProperty(org.osgi.framework.Constants.OBJECTCLASS);
                applDb = ref.getProperty(NeighborSink.APPL_DB_PROPERTY);
                namespace = ref.getProperty(net.neighsyncd.api.pipeline.Pipelines.NAMESPACE_PROPERTY);
            } finally {
                sinks.close();
            }
        }
        // then: one registration under every interface, the host's namespace, APPL_DB's sink
        assertEquals(new TreeSet<>(Set.of(NeighborSink.class.getName(), WarmRestartStore.class.getName(),
                net.neighsyncd.api.health.HealthContributor.class.getName(), net.neighsyncd.api.metrics.MeterSource.class.getName(),
                net.neighsyncd.api.profiling.StageTimings.class.getName())),
                new TreeSet<>(Set.of(interfaces)));
        assertEquals(Boolean.TRUE, applDb);
        assertEquals("", namespace);
        // and its configuration is its own PID, then its pipeline's
        assertEquals(List.of(RedisSettings.PID, net.neighsyncd.api.pipeline.Pipelines.FACTORY_PID),
                List.of(c.configurationPid));
    }

    private interface SinkCall {
        void run() throws SinkException;
    }
}
