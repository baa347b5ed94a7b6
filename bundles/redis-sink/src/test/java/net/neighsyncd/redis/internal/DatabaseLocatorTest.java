package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SONiC's database_config.json and Redis URLs. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DatabaseLocatorTest {
    @TempDir
    Path tmp;

    /** A database_config.json as SONiC writes it (trimmed), with one instance. */
    static String sonicConfig(String socket, int appl, int config, int state) {
        return "{\n"
                + "  \"INSTANCES\": {\n"
                + "    \"redis\": {\n"
                + "      \"hostname\": \"127.0.0.1\",\n"
                + "      \"port\": 1,\n"
                + "      \"unix_socket_path\": \"" + socket + "\",\n"
                + "      \"persistence_for_warm_boot\": \"yes\"\n"
                + "    }\n"
                + "  },\n"
                + "  \"DATABASES\": {\n"
                + "    \"APPL_DB\": {\"id\": " + appl + ", \"separator\": \":\", \"instance\": \"redis\"},\n"
                + "    \"ASIC_DB\": {\"id\": 1, \"separator\": \":\", \"instance\": \"redis\"},\n"
                + "    \"COUNTERS_DB\": {\"id\": 2, \"separator\": \":\", \"instance\": \"redis\"},\n"
                + "    \"CONFIG_DB\": {\"id\": " + config + ", \"separator\": \"|\", \"instance\": \"redis\"},\n"
                + "    \"STATE_DB\": {\"id\": " + state + ", \"separator\": \"|\", \"instance\": \"redis\"}\n"
                + "  },\n"
                + "  \"VERSION\": \"1.0\"\n"
                + "}\n";
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void theUnixSocketIsUsedWhenItsFileExists() throws IOException {
        // given
        Path socket = write("redis.sock", "");
        Path file = write("database_config.json", sonicConfig(socket.toString(), 0, 4, 6));
        // when
        DatabaseLayout layout = DatabaseLocator.fromDatabaseConfig(file);
        // then
        assertEquals(new RedisDatabase("APPL_DB", RedisEndpoint.unix(socket), 0, ":"), layout.appl());
        assertEquals(new RedisDatabase("CONFIG_DB", RedisEndpoint.unix(socket), 4, "|"), layout.config());
        assertEquals(new RedisDatabase("STATE_DB", RedisEndpoint.unix(socket), 6, "|"), layout.state());
        assertEquals(file.toString(), layout.source());
    }

    @Test
    void theUnixSocketIsUsedEvenWhileItsFileIsMissingNeverTheTcpAddressInstead() throws IOException {
        // given: an instance with both, its socket not (yet) there
        Path socket = tmp.resolve("absent.sock");
        Path file = write("database_config.json", sonicConfig(socket.toString(), 0, 4, 6));
        // when
        DatabaseLayout layout = DatabaseLocator.fromDatabaseConfig(file);
        // then: the socket, as SONiC's daemons connect; the connect will fail naming it
        assertEquals(RedisEndpoint.unix(socket), layout.appl().endpoint());
        assertEquals(4, layout.config().id());
    }

    @Test
    void databasesOnDifferentInstancesAndPortsGivenAsTextAreUnderstood() throws IOException {
        Path file = write("database_config.json", "{\"INSTANCES\": {"
                + "\"redis\": {\"hostname\": \"10.1.0.32\", \"port\": \"6379\"},"
                + "\"redis2\": {\"hostname\": \"fd00::1\", \"port\": 6380}},"
                + "\"DATABASES\": {"
                + "\"APPL_DB\": {\"id\": 0, \"separator\": \":\", \"instance\": \"redis\"},"
                + "\"CONFIG_DB\": {\"id\": 4, \"separator\": \"|\", \"instance\": \"redis2\"},"
                + "\"STATE_DB\": {\"id\": 6, \"instance\": \"redis2\"}}}");
        DatabaseLayout layout = DatabaseLocator.fromDatabaseConfig(file);
        assertEquals(RedisEndpoint.tcp("10.1.0.32", 6379), layout.appl().endpoint());
        assertEquals(RedisEndpoint.tcp("fd00::1", 6380), layout.config().endpoint());
        assertEquals("|", layout.state().separator(), "a missing separator takes SONiC's default");
    }

    @Test
    void anInstanceWithOnlyASocketUsesItEvenBeforeTheFileExists() throws IOException {
        Path file = write("database_config.json", "{\"INSTANCES\": {\"redis\": {\"unix_socket_path\": \"/run/r.sock\"}},"
                + "\"DATABASES\": {\"APPL_DB\": {\"id\": 0, \"instance\": \"redis\"},"
                + "\"CONFIG_DB\": {\"id\": 4, \"instance\": \"redis\"}, \"STATE_DB\": {\"id\": 6, \"instance\": \"redis\"}}}");
        assertEquals(RedisEndpoint.unix(Path.of("/run/r.sock")),
                DatabaseLocator.fromDatabaseConfig(file).appl().endpoint());
    }

    @Test
    void aMissingFileIsAClearError() {
        Path file = tmp.resolve("nope.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseLocator.fromDatabaseConfig(file));
        assertEquals("database_config.json " + file + ": no such file", e.getMessage());
    }

    @Test
    void badFilesAreClearErrorsNamingTheFileAndTheProblem() throws IOException {
        assertProblem("{\"INSTANCES\": {", "not a JSON object");
        assertProblem("[1, 2]", "not a JSON object");
        assertProblem("{\"INSTANCES\": {}}", "has no DATABASES");
        assertProblem("{\"INSTANCES\": {}, \"DATABASES\": {}}", "DATABASES: has no APPL_DB");
        assertProblem("{\"INSTANCES\": {}, \"DATABASES\": {\"APPL_DB\": {\"id\": 0, \"instance\": \"redis\"}}}",
                "DATABASES.APPL_DB.instance names \"redis\", which INSTANCES does not define");
        assertProblem("{\"INSTANCES\": {\"redis\": {\"hostname\": \"h\", \"port\": 1}}, \"DATABASES\": "
                + "{\"APPL_DB\": {\"id\": \"zero\", \"instance\": \"redis\"}}}", "DATABASES.APPL_DB.id is not an integer");
        assertProblem("{\"INSTANCES\": {\"redis\": {\"hostname\": \"h\", \"port\": 70000}}, \"DATABASES\": "
                + "{\"APPL_DB\": {\"id\": 0, \"instance\": \"redis\"}}}", "INSTANCES.redis.port is out of range 1..65535");
        assertProblem("{\"INSTANCES\": {\"redis\": {\"hostname\": \"h\"}}, \"DATABASES\": "
                + "{\"APPL_DB\": {\"id\": 0, \"instance\": \"redis\"}}}",
                "INSTANCES.redis has neither unix_socket_path nor hostname and port");
    }

    @Test
    void anIdWithAFractionIsNotAnInteger() throws IOException {
        assertProblem("{\"INSTANCES\": {\"redis\": {\"hostname\": \"h\", \"port\": 1}}, \"DATABASES\": "
                + "{\"APPL_DB\": {\"id\": 1.5, \"instance\": \"redis\"}}}", "DATABASES.APPL_DB.id is not an integer: 1.5");
    }

    @Test
    void aSeparatorThatIsNullIsAnError() throws IOException {
        assertProblem("{\"INSTANCES\": {\"redis\": {\"hostname\": \"h\", \"port\": 1}}, \"DATABASES\": "
                + "{\"APPL_DB\": {\"id\": 0, \"separator\": null, \"instance\": \"redis\"}}}",
                "DATABASES.APPL_DB.separator is not a non-empty string: null");
    }

    @Test
    void aKeyGivenTwiceTakesItsLastValueAsSonicsOwnPythonReaderDoes() throws IOException {
        Path file = write("database_config.json", sonicConfig("/nonexistent.sock", 0, 4, 6)
                .replace("      \"unix_socket_path\": \"/nonexistent.sock\",\n", "")
                .replace("\"port\": 1,", "\"port\": 1, \"port\": 6380,"));
        assertEquals(RedisEndpoint.tcp("127.0.0.1", 6380), DatabaseLocator.fromDatabaseConfig(file).appl().endpoint());
    }

    private void assertProblem(String json, String expected) throws IOException {
        Path file = write("bad.json", json);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseLocator.fromDatabaseConfig(file));
        assertTrue(e.getMessage().startsWith("database_config.json " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aTcpUrlNamesHostPortAndAPPLDBWithSONiCsOtherDatabasesBesideIt() {
        DatabaseLayout layout = DatabaseLocator.fromUrl("redis://10.0.0.5:6380/3");
        assertEquals(RedisEndpoint.tcp("10.0.0.5", 6380), layout.appl().endpoint());
        assertEquals(3, layout.appl().id());
        assertEquals(":", layout.appl().separator());
        assertEquals(4, layout.config().id());
        assertEquals("|", layout.config().separator());
        assertEquals(6, layout.state().id());
        assertEquals(layout.appl().endpoint(), layout.state().endpoint());
    }

    @Test
    void aTcpUrlDefaultsToPort6379AndDatabase0AndTakesIpv6HostsAndCredentials() {
        assertEquals(RedisEndpoint.tcp("localhost", 6379), DatabaseLocator.fromUrl("redis://localhost").appl().endpoint());
        assertEquals(0, DatabaseLocator.fromUrl("redis://localhost/").appl().id());
        assertEquals(5, DatabaseLocator.fromUrl("redis://localhost?db=5").appl().id());
        assertEquals(RedisEndpoint.tcp("::1", 7000), DatabaseLocator.fromUrl("redis://[::1]:7000").appl().endpoint());
        RedisEndpoint withPassword = DatabaseLocator.fromUrl("redis://:s%40cret@h:1/0").appl().endpoint();
        assertNull(withPassword.user());
        assertEquals("s@cret", withPassword.password());
        RedisEndpoint withUser = DatabaseLocator.fromUrl("redis://neigh:pw@h:1/0").appl().endpoint();
        assertEquals("neigh", withUser.user());
        assertEquals("pw", withUser.password());
        assertFalse(withUser.toString().contains("pw"), "no password in logs");
    }

    @Test
    void aUnixUrlNamesTheSocketAndTheDatabaseByQuery() {
        DatabaseLayout layout = DatabaseLocator.fromUrl("unix:///var/run/redis/redis.sock?db=2");
        assertEquals(RedisEndpoint.unix(Path.of("/var/run/redis/redis.sock")), layout.appl().endpoint());
        assertEquals(2, layout.appl().id());
        assertEquals(4, layout.config().id());
        assertEquals(0, DatabaseLocator.fromUrl("unix:///var/run/redis/redis.sock").appl().id());
    }

    @Test
    void badUrlsAreClearErrors() {
        assertUrlProblem("", "Redis URL is empty");
        assertUrlProblem("localhost:6379", "unknown scheme \"localhost\"");
        assertUrlProblem("/var/run/redis.sock", "has no scheme");
        assertUrlProblem("http://h/0", "unknown scheme \"http\"");
        assertUrlProblem("rediss://h/0", "TLS (rediss) is not supported");
        assertUrlProblem("redis://h/x", "database \"x\" is not a number >= 0");
        assertUrlProblem("redis://h/-1", "database \"-1\" is not a number >= 0");
        assertUrlProblem("redis://h:0/1", "port out of range");
        assertUrlProblem("redis:///1", "has no valid host");
        assertUrlProblem("redis://h/1?db=2", "names two databases");
        assertUrlProblem("unix://var/run/redis.sock", "a unix URL has no host");
        assertUrlProblem("unix:relative.sock", "expected unix:///absolute/path");
        assertUrlProblem("unix:///var/run/redis.sock?database=1", "unknown parameter \"database\"");
        assertUrlProblem("unix:///var/run/redis.sock?db=one", "database \"one\" is not a number");
        assertUrlProblem("redis://h o/1", "is not a valid URI");
        assertUrlProblem("redis://justpassword@h/1", "credentials must be written [user]:password@");
    }

    @Test
    void errorsAboutAUrlDoNotShowItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseLocator.fromUrl("redis://u:topsecret@h/x"));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertTrue(e.getMessage().contains("redis://u:***@h/x"), e.getMessage());
    }

    private static void assertUrlProblem(String url, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseLocator.fromUrl(url),
                url);
        assertTrue(e.getMessage().contains(expected), url + " -> " + e.getMessage());
    }
}
