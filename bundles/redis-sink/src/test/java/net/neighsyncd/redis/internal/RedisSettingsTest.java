package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation of PID net.neighsyncd.redis. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisSettingsTest {

    @Test
    void noConfigurationMeansSONiCsDefaults() throws Exception {
        RedisSettings s = RedisSettings.from(Map.of("service.pid", "net.neighsyncd.redis"));
        assertEquals(Path.of("/var/run/redis/sonic-db/database_config.json"), s.databaseConfigInForce());
        assertEquals("", s.namespace());
        assertEquals(null, s.redisUrl());
        assertEquals(512, s.batchSize());
        assertEquals(1000, s.pollIntervalMillis());
        assertEquals(RedisSettings.DEFAULTS, s);
    }

    @Test
    void valuesAreTakenFromNumbersAndFromText() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("databaseConfig", "/var/run/redis1/sonic-db/database_config.json");
        p.put("redisUrl", " unix:///run/redis.sock?db=0 ");
        p.put("batchSize", 10000);
        p.put("connectTimeoutMillis", 250L);
        p.put("socketTimeoutMillis", "900");
        p.put("pollIntervalMillis", 100);
        RedisSettings s = RedisSettings.from(p);
        assertEquals(Path.of("/var/run/redis1/sonic-db/database_config.json"), s.databaseConfig());
        assertEquals("unix:///run/redis.sock?db=0", s.redisUrl());
        assertEquals(10000, s.batchSize());
        assertEquals(250, s.connectTimeoutMillis());
        assertEquals(900, s.socketTimeoutMillis());
        assertEquals(100, s.pollIntervalMillis());
    }

    @Test
    void anEmptyUrlMeansNone() throws Exception {
        assertEquals(null, RedisSettings.from(Map.of("redisUrl", "  ")).redisUrl());
    }

    @Test
    void invalidValuesAreRejectedWithThePidEveryBadKeyAndTheReason() {
        Map<String, Object> p = new HashMap<>();
        p.put("batchSize", 0);
        p.put("pollIntervalMillis", "fast");
        p.put("redisUrl", "rediss://h:1/0");
        p.put("connectTimeoutMillis", 3.5);
        RedisSettings.InvalidConfigurationException e = assertThrows(RedisSettings.InvalidConfigurationException.class,
                () -> RedisSettings.from(p));
        String m = e.getMessage();
        assertTrue(m.startsWith("configuration net.neighsyncd.redis rejected: "), m);
        assertTrue(m.contains("batchSize=0 is out of range 1..10000"), m);
        assertTrue(m.contains("pollIntervalMillis=\"fast\" is not an integer"), m);
        assertTrue(m.contains("redisUrl is invalid: Redis URL rediss://h:1/0: TLS (rediss) is not supported"), m);
        assertTrue(m.contains("connectTimeoutMillis=3.5 is not an integer"), m);
        assertEquals(1, m.lines().count(), "one line");
    }

    @Test
    void eachBoundIsChecked() {
        assertRejected("batchSize", 10001, "batchSize=10001 is out of range 1..10000");
        assertRejected("pollIntervalMillis", 99, "pollIntervalMillis=99 is out of range 100..60000 ms");
        assertRejected("pollIntervalMillis", 60001, "out of range 100..60000 ms");
        assertRejected("connectTimeoutMillis", 0, "connectTimeoutMillis=0 is out of range 10..60000 ms");
        assertRejected("socketTimeoutMillis", 600001, "out of range 100..600000 ms");
    }

    @Test
    void anEmptyDatabaseConfigMeansTheSonicDefault() throws Exception {
        // given: what the launcher's file gives when no --database-config was passed
        RedisSettings s = RedisSettings.from(Map.of("databaseConfig", "", "redisUrl", "unix:///tmp/r.sock"));
        // then
        assertEquals(RedisSettings.DEFAULTS.databaseConfigInForce(), s.databaseConfigInForce());
        assertEquals("unix:///tmp/r.sock", s.redisUrl());
    }

    @Test
    void aNamespaceWithoutItsOwnFileTakesTheOneDatabaseGlobalJsonListsForIt(@TempDir Path tmp) throws Exception {
        // given: SONiC's global file listing the host and asic1
        Path global = tmp.resolve("redis/sonic-db/database_global.json");
        Files.createDirectories(global.getParent());
        Files.writeString(global, "{\"INCLUDES\": [{\"include\": \"../../redis/sonic-db/database_config.json\"},"
                + "{\"namespace\": \"asic1\", \"include\": \"../../redis1/sonic-db/database_config.json\"}],"
                + "\"VERSION\": \"1.0\"}");
        // when
        RedisSettings s = RedisSettings.from(Map.of("namespace", "asic1", "databaseConfig", "",
                "databaseGlobalConfig", global.toString()));
        // then
        assertEquals(tmp.resolve("redis1/sonic-db/database_config.json"), s.databaseConfigInForce());
    }

    @Test
    void aNamespaceTheGlobalFileDoesNotListIsAnErrorNamingBothNeverTheHostsDatabases(@TempDir Path tmp)
            throws Exception {
        // given: a global file that lists only the host
        Path global = tmp.resolve("database_global.json");
        Files.writeString(global, "{\"INCLUDES\": [{\"include\": \"database_config.json\"}]}");
        RedisSettings s = RedisSettings.from(Map.of("namespace", "asic0", "databaseGlobalConfig", global.toString()));
        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::resolveLayout);
        // then
        assertTrue(e.getMessage().contains("namespace asic0") && e.getMessage().contains(global.toString()),
                e.getMessage());
    }

    @Test
    void aNamespaceWithoutAGlobalFileIsAnErrorNamingBoth(@TempDir Path tmp) throws Exception {
        Path global = tmp.resolve("database_global.json");
        RedisSettings s = RedisSettings.from(Map.of("namespace", "asic0", "databaseGlobalConfig", global.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::resolveLayout);
        assertTrue(e.getMessage().contains("namespace asic0") && e.getMessage().contains(global + ": no such file"),
                e.getMessage());
    }

    @Test
    void aUrlOrAFileGivenForANamespaceWinsOverTheGlobalFile() throws Exception {
        RedisSettings s = RedisSettings.from(Map.of("namespace", "asic0", "databaseConfig", "/x/database_config.json",
                "databaseGlobalConfig", "/nonexistent/database_global.json"));
        assertEquals(Path.of("/x/database_config.json"), s.databaseConfigInForce());
    }

    @Test
    void aNamespaceThatIsAPathIsRejected() {
        assertRejected("namespace", "../asic0", "is not a namespace name");
    }

    private static void assertRejected(String key, Object value, String expected) {
        RedisSettings.InvalidConfigurationException e = assertThrows(RedisSettings.InvalidConfigurationException.class,
                () -> RedisSettings.from(Map.of(key, value)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void onlyTheLocationAndTimeoutsNeedANewConnection() throws Exception {
        RedisSettings a = RedisSettings.from(Map.of("redisUrl", "redis://h/0"));
        assertTrue(a.sameConnection(RedisSettings.from(Map.of("redisUrl", "redis://h/0", "batchSize", 7,
                "pollIntervalMillis", 5000))));
        assertTrue(!a.sameConnection(RedisSettings.from(Map.of("redisUrl", "redis://h/1"))));
        assertTrue(!a.sameConnection(RedisSettings.from(Map.of("redisUrl", "redis://h/0", "socketTimeoutMillis", 200))));
    }

    @Test
    void theDescriptionDoesNotShowAPassword() throws Exception {
        RedisSettings s = RedisSettings.from(Map.of("redisUrl", "redis://:hunter2@h/0"));
        assertTrue(!s.toString().contains("hunter2"), s.toString());
    }

    @Test
    void rejectsADatabaseConfigFileThatIsThereButUnusable(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("database_config.json");
        java.nio.file.Files.writeString(file, "{ not json");
        // when / then
        RedisSettings.InvalidConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
                RedisSettings.InvalidConfigurationException.class,
                () -> RedisSettings.from(Map.of("databaseConfig", file.toString())));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("databaseConfig=" + file + " cannot be used"),
                e.getMessage());
    }

    @Test
    void acceptsADatabaseConfigFileThatIsNotThereYet(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("later/database_config.json");
        assertEquals(file, RedisSettings.from(Map.of("databaseConfig", file.toString())).databaseConfigInForce());
    }
}
