package net.neighsyncd.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.neighsyncd.unixdatagram.UnixDatagramReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogbackControlTest {
    @TempDir
    Path dir;

    private final LoggerContext context = new LoggerContext();
    private final LogbackControl control = new LogbackControl(context);

    private LogSettings settings(Map<String, Object> p) {
        return LogSettings.parse(p);
    }

    @Test
    void setsTheRootAndLoggerLevels() throws Exception {
        // given / when
        control.apply(settings(Map.of("level", "warn", "loggers", "net.neighsyncd.netlink=debug")));
        // then
        assertEquals(Level.WARN, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertTrue(context.getLogger("net.neighsyncd.netlink.internal.NetlinkReader").isDebugEnabled());
        assertTrue(!context.getLogger("net.neighsyncd.core").isInfoEnabled());
    }

    @Test
    void putsBackTheLevelALoggerHadWhenALaterConfigurationDropsIt() throws Exception {
        // given: etc/logback.xml had set jetty to WARN
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        control.apply(settings(Map.of("loggers", "org.eclipse.jetty=debug,net.neighsyncd.core=trace")));
        // when
        control.apply(settings(Map.of()));
        // then
        assertEquals(Level.WARN, context.getLogger("org.eclipse.jetty").getLevel());
        assertNull(context.getLogger("net.neighsyncd.core").getLevel());
    }

    @Test
    void restoreBringsBackEveryLevelFound() throws Exception {
        // given
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        control.apply(settings(Map.of("level", "trace", "loggers", "a.b=error")));
        // when
        control.restore();
        // then
        assertEquals(Level.INFO, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertNull(context.getLogger("a.b").getLevel());
    }

    @Test
    void sendsMessagesAtOrAboveTheLevelToASyslogUnixSocket() throws Exception {
        // given: a real datagram socket standing in for /dev/log
        String socket = dir.resolve("log").toString();
        try (UnixDatagramReceiver syslog = new UnixDatagramReceiver(socket)) {
            control.apply(settings(Map.of("syslog", "true", "syslogAddress", socket)));
            Logger logger = context.getLogger("net.neighsyncd.core.internal.NeighborView");
            // when
            logger.debug("not sent at info");
            logger.info("kernel view has {} neighbors", 7);
            // then
            UnixDatagramReceiver.Received r = syslog.next(Duration.ofSeconds(5));
            assertNotNull(r);
            assertTrue(r.message().matches("<13>[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d neighsyncd: :- NeighborView: "
                    + "kernel view has 7 neighbors"), r.message());
            assertEquals(1, control.syslogSent.get());
        }
    }

    @Test
    void aLevelChangeTakesEffectOnTheNextMessage() throws Exception {
        // given
        String socket = dir.resolve("log").toString();
        try (UnixDatagramReceiver syslog = new UnixDatagramReceiver(socket)) {
            control.apply(settings(Map.of("syslog", "true", "syslogAddress", socket)));
            Logger logger = context.getLogger("net.neighsyncd.netlink.internal.NetlinkReader");
            // when
            control.apply(settings(Map.of("syslog", "true", "syslogAddress", socket,
                    "loggers", "net.neighsyncd.netlink=debug")));
            logger.debug("dump started");
            // then: the same appender still sends (syslog unchanged), now at debug (user.debug = 15)
            UnixDatagramReceiver.Received r = syslog.next(Duration.ofSeconds(5));
            assertNotNull(r);
            assertTrue(r.message().startsWith("<15>") && r.message().endsWith(":- NetlinkReader: dump started"),
                    r.message());
        }
    }

    @Test
    void countsMessagesThatCannotBeSentAndCarriesOn() throws Exception {
        // given: nobody listens at the address
        control.apply(settings(Map.of("syslog", "true", "syslogAddress", dir.resolve("nobody").toString())));
        Logger logger = context.getLogger("x");
        // when
        logger.warn("one");
        logger.warn("two");
        // then
        assertEquals(2, control.syslogDropped.get());
        assertEquals(0, control.syslogSent.get());
    }

    @Test
    void sendsToAUdpSyslogServer() throws Exception {
        // given
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(5000);
            control.apply(settings(Map.of("syslog", "true", "syslogAddress",
                    "udp:127.0.0.1:" + server.getLocalPort(), "syslogIdentifier", "swss#neighsyncd",
                    "syslogFacility", "local0")));
            // when
            context.getLogger("net.neighsyncd.redis.internal.AppDbNeighborSink").error("APPL_DB unreachable");
            // then: local0.err = 16*8+3
            DatagramPacket p = new DatagramPacket(new byte[9000], 9000);
            server.receive(p);
            String line = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            assertTrue(line.startsWith("<131>") && line.endsWith(" swss#neighsyncd: :- AppDbNeighborSink: APPL_DB unreachable"),
                    line);
        }
    }
}
