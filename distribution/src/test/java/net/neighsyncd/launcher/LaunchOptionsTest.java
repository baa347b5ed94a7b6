package net.neighsyncd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void readsEveryOptionInBothSpellings() {
        // when
        LaunchOptions o = LaunchOptions.parse(new String[] {"--redis-url", "unix:///run/r.sock?db=0",
            "--netns=asic0", "--config-dir", "/etc/nsd", "--run-dir=/run/nsd"});
        // then
        assertEquals("unix:///run/r.sock?db=0", o.redisUrl);
        assertEquals("asic0", o.netns);
        assertEquals(Path.of("/etc/nsd"), o.configDir);
        assertEquals(Path.of("/run/nsd"), o.runDir);
    }

    @Test
    void rejectsBothDatabaseOptionsTogether() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(
                new String[] {"--redis-url", "redis://127.0.0.1:6379/0", "--database-config", "/x.json"}));
        assertTrue(e.getMessage().contains("exclude"), e.getMessage());
    }

    @Test
    void rejectsAUrlOfAnotherScheme() {
        assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--redis-url", "http://localhost"}));
    }

    @Test
    void rejectsAnOptionWithoutItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--netns"}));
        assertTrue(e.getMessage().contains("needs a value"), e.getMessage());
    }

    @Test
    void rejectsUnknownOptions() {
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(new String[] {"--verbose"}));
    }

    @Test
    void helpTextNamesEveryOption() {
        for (String opt : new String[] {"--database-config", "--redis-url", "--netns", "--config-dir", "--run-dir",
            "--deploy-dir", "--http-host", "--http-port", "--webconsole-password-file", "--hash-password", "--new-api-token"}) {
            assertTrue(LaunchOptions.USAGE.contains(opt), opt);
        }
    }

    @Test
    void theWebConsoleListensOnLoopbackPort8181UnlessTold() {
        LaunchOptions d = LaunchOptions.parse(new String[0]);
        assertEquals("127.0.0.1", d.httpHost);
        assertEquals(8181, d.httpPort);
        LaunchOptions o = LaunchOptions.parse(new String[] {"--http-host", "0.0.0.0", "--http-port=0",
            "--webconsole-password-file", "/etc/nsd/console.password"});
        assertEquals("0.0.0.0", o.httpHost);
        assertEquals(0, o.httpPort);
        assertEquals(Path.of("/etc/nsd/console.password"), o.webconsolePasswordFile);
    }

    @Test
    void rejectsAPortOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(new String[] {"--http-port", "65536"}));
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(new String[] {"--http-port", "web"}));
    }
}
