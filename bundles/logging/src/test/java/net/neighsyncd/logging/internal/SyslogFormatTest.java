package net.neighsyncd.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SyslogFormatTest {
    private final LoggerContext context = new LoggerContext();
    private final SyslogFormat format = new SyslogFormat(new SyslogTarget("/dev/log", "neighsyncd", 1), ZoneOffset.UTC);

    private String formatted(Level level, String message, Throwable t, Object... args) {
        LoggingEvent e = new LoggingEvent(SyslogFormatTest.class.getName(),
                context.getLogger("net.neighsyncd.core.internal.SinkWriter"), level, message, t, args);
        e.setTimeStamp(Instant.parse("2026-11-05T07:08:09.123Z").toEpochMilli());
        return new String(format.format(e), StandardCharsets.UTF_8);
    }

    @Test
    void writesPriorityTimeIdentifierAndSwssStyleMessage() {
        // given / when
        String line = formatted(Level.INFO, "wrote {} changes", null, 3);
        // then: user.notice = 1*8+5; RFC 3164 pads the day with a space
        assertEquals("<13>Nov  5 07:08:09 neighsyncd: :- SinkWriter: wrote 3 changes", line);
    }

    @Test
    void mapsLevelsToSyslogSeverities() {
        // given / when / then
        assertEquals(3, SyslogFormat.severity(Level.ERROR));
        assertEquals(4, SyslogFormat.severity(Level.WARN));
        assertEquals(5, SyslogFormat.severity(Level.INFO));
        assertEquals(7, SyslogFormat.severity(Level.DEBUG));
        assertEquals(7, SyslogFormat.severity(Level.TRACE));
    }

    @Test
    void keepsOneLineAndNamesTheException() {
        // given / when
        String line = formatted(Level.ERROR, "first\nsecond", new IllegalStateException("broken"));
        // then: user.err = 11
        assertEquals("<11>Nov  5 07:08:09 neighsyncd: :- SinkWriter: first second"
                + " (java.lang.IllegalStateException: broken)", line);
    }

    @Test
    void cutsAVeryLongMessage() {
        // given / when
        String line = formatted(Level.WARN, "x".repeat(20_000), null);
        // then
        assertEquals(SyslogFormat.MAX_BYTES, line.getBytes(StandardCharsets.UTF_8).length);
    }
}
