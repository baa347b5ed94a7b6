package net.neighsyncd.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logback appender that sends each event to syslog in SONiC's style ({@link SyslogFormat}).
 * A message that cannot be sent (no syslog daemon, its queue full) is dropped and counted, never
 * waited for: logging must not stall the sync. The first failure after a success is logged in one
 * line (to the other appenders: logback does not re-enter this one), and so is the recovery.
 */
final class SyslogAppender extends AppenderBase<ILoggingEvent> {
    static final String NAME = "neighsyncd-syslog";

    private final SyslogFormat format;
    private final SyslogTransport transport;
    private final AtomicLong sent;
    private final AtomicLong dropped;
    private static final Logger LOG = LoggerFactory.getLogger(SyslogAppender.class);
    private boolean failing;

    /** {@code sent} and {@code dropped} outlive the appender: a new syslog address keeps counting on. */
    SyslogAppender(SyslogFormat format, SyslogTransport transport, AtomicLong sent, AtomicLong dropped) {
        this.format = format;
        this.transport = transport;
        this.sent = sent;
        this.dropped = dropped;
        setName(NAME);
    }

    @Override
    protected void append(ILoggingEvent event) {
        try {
            transport.send(format.format(event));
            sent.incrementAndGet();
            if (failing) {
                failing = false;
                LOG.info("syslog reachable again; {} messages to it dropped so far", dropped.get());
            }
        } catch (IOException | RuntimeException e) {
            dropped.incrementAndGet();
            if (!failing) {
                failing = true;
                LOG.warn("syslog unreachable, its messages are dropped and counted until it returns: {}",
                        e.getMessage());
            }
        }
    }

    @Override
    public void stop() {
        super.stop();
        transport.close();
    }
}
