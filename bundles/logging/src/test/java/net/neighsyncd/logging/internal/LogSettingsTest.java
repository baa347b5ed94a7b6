package net.neighsyncd.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSettingsTest {

    @Test
    void defaultsToInfoWithoutSyslog() {
        // given / when
        LogSettings s = LogSettings.parse(Map.of());
        // then
        assertEquals(Level.INFO, s.level());
        assertTrue(s.loggers().isEmpty());
        assertNull(s.syslog());
    }

    @Test
    void readsLoggerLevelsFromACommaSeparatedLineOrAnArray() {
        // given
        Map<String, Object> fromFile = Map.of("loggers", " net.neighsyncd.netlink = debug , org.eclipse.jetty=ERROR");
        Map<String, Object> fromConsole = Map.of("loggers", new String[] { "net.neighsyncd.netlink=debug",
                "org.eclipse.jetty=error" });
        // when
        LogSettings a = LogSettings.parse(fromFile);
        LogSettings b = LogSettings.parse(fromConsole);
        // then
        assertEquals(Map.of("net.neighsyncd.netlink", Level.DEBUG, "org.eclipse.jetty", Level.ERROR), a.loggers());
        assertEquals(a, b);
    }

    @Test
    void rejectsAnUnknownLevelNamingTheKey() {
        // given / when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogSettings.parse(Map.of("level", "verbose")));
        // then
        assertEquals("level: 'verbose' is not one of error, warn, info, debug, trace, off", e.getMessage());
    }

    @Test
    void rejectsALoggerEntryWithoutALevel() {
        // given / when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogSettings.parse(Map.of("loggers", "net.neighsyncd.core")));
        // then
        assertTrue(e.getMessage().startsWith("loggers: 'net.neighsyncd.core' is not logger=level"), e.getMessage());
    }

    @Test
    void readsTheSyslogTargetOnlyWhenSyslogIsOn() {
        // given
        Map<String, Object> off = Map.of("syslog", "false", "syslogAddress", "nonsense");
        Map<String, Object> on = Map.of("syslog", "true", "syslogFacility", "local3");
        // when
        LogSettings a = LogSettings.parse(off);
        LogSettings b = LogSettings.parse(on);
        // then
        assertNull(a.syslog());
        assertEquals(new SyslogTarget("/dev/log", "neighsyncd", 19), b.syslog());
    }

    @Test
    void rejectsASyslogAddressThatIsNeitherASocketPathNorUdp() {
        // given / when
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> LogSettings.parse(Map.of("syslog", "true", "syslogAddress", "dev/log")));
        IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class,
                () -> LogSettings.parse(Map.of("syslog", "true", "syslogAddress", "udp:localhost")));
        // then
        assertTrue(relative.getMessage().startsWith("syslogAddress: "), relative.getMessage());
        assertEquals("syslogAddress: 'udp:localhost' is not udp:host:port", noPort.getMessage());
    }

    @Test
    void rejectsAnUnknownFacility() {
        // given / when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogSettings.parse(Map.of("syslog", "true", "syslogFacility", "kern")));
        // then
        assertTrue(e.getMessage().startsWith("syslogFacility: 'kern'"), e.getMessage());
    }
}
