package net.neighsyncd.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Applies {@link LogSettings} to logback's context: levels, and the syslog appender on the root
 * logger. Remembers the levels it found (from {@code etc/logback.xml}) and puts them back for
 * the loggers a later configuration no longer names, and for all of them on {@link #restore}.
 */
final class LogbackControl {
    private final LoggerContext context;
    /** The level each logger we changed had before, by name (null: inherited). */
    private final Map<String, Optional<Level>> original = new HashMap<>();
    private SyslogAppender syslog;
    /** Messages syslog took, and dropped, since the bundle started (across syslog changes). */
    final java.util.concurrent.atomic.AtomicLong syslogSent = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong syslogDropped = new java.util.concurrent.atomic.AtomicLong();
    private SyslogTarget syslogTarget;

    LogbackControl(LoggerContext context) {
        this.context = context;
    }

    /**
     * Applies {@code settings}. Opening the syslog socket may fail (then the levels are still
     * applied, syslog stays off and the exception says why).
     */
    synchronized void apply(LogSettings settings) throws java.io.IOException {
        Map<String, Level> wanted = new HashMap<>(settings.loggers());
        wanted.put(Logger.ROOT_LOGGER_NAME, settings.level());
        for (String name : Map.copyOf(original).keySet()) {
            if (!wanted.containsKey(name)) {
                context.getLogger(name).setLevel(original.remove(name).orElse(null));
            }
        }
        wanted.forEach((name, level) -> {
            Logger logger = context.getLogger(name);
            original.computeIfAbsent(name, n -> Optional.ofNullable(logger.getLevel()));
            logger.setLevel(level);
        });
        if (!java.util.Objects.equals(syslogTarget, settings.syslog())) {
            stopSyslog();
            if (settings.syslog() != null) {
                SyslogTransport transport = SyslogTransport.open(settings.syslog());
                SyslogAppender appender = new SyslogAppender(new SyslogFormat(settings.syslog(), ZoneId.systemDefault()),
                        transport, syslogSent, syslogDropped);
                appender.setContext(context);
                appender.start();
                context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
                syslog = appender;
                syslogTarget = settings.syslog();
            }
        }
    }

    /** Puts back every level found and removes the syslog appender. */
    synchronized void restore() {
        original.forEach((name, level) -> context.getLogger(name).setLevel(level.orElse(null)));
        original.clear();
        stopSyslog();
    }

    private void stopSyslog() {
        if (syslog != null) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(syslog);
            syslog.stop();
            syslog = null;
            syslogTarget = null;
        }
    }
}
