package net.neighsyncd.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One log event as the datagram glibc's {@code syslog(3)} sends to {@code /dev/log}, with the
 * message the way SONiC's swss logger writes it:
 * {@code <PRI>Mmm dd hh:mm:ss neighsyncd: :- SinkWriter: the message}. SONiC writes the C
 * function name after {@code :-}; here it is the logger's class name.
 *
 * <p>Severities: ERROR → err (3), WARN → warning (4), INFO → notice (5, SONiC's default
 * threshold, where its daemons report what they do), DEBUG and TRACE → debug (7).
 */
final class SyslogFormat {
    /** RFC 3164 time stamp: the day of the month padded with a space. */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);
    /** A datagram this long is always accepted by /dev/log; longer messages are cut. */
    static final int MAX_BYTES = 8192;

    private final SyslogTarget target;
    private final ZoneId zone;

    SyslogFormat(SyslogTarget target, ZoneId zone) {
        this.target = target;
        this.zone = zone;
    }

    static int severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> 3;
            case Level.WARN_INT -> 4;
            case Level.INFO_INT -> 5;
            default -> 7;
        };
    }

    byte[] format(ILoggingEvent event) {
        String logger = event.getLoggerName();
        StringBuilder b = new StringBuilder(128);
        b.append('<').append(target.facility() * 8 + severity(event.getLevel())).append('>');
        b.append(STAMP.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone))).append(' ');
        b.append(target.identifier()).append(": :- ");
        b.append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ");
        b.append(event.getFormattedMessage());
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            b.append(" (").append(t.getClassName());
            if (t.getMessage() != null) {
                b.append(": ").append(t.getMessage());
            }
            b.append(')');
        }
        // one line per message, as syslog readers expect
        for (int i = 0; i < b.length(); i++) {
            if (b.charAt(i) == '\n' || b.charAt(i) == '\r') {
                b.setCharAt(i, ' ');
            }
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_BYTES ? bytes : java.util.Arrays.copyOf(bytes, MAX_BYTES);
    }
}
