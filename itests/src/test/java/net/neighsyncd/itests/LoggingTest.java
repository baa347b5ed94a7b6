package net.neighsyncd.itests;

import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.DropReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import net.neighsyncd.unixdatagram.UnixDatagramReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Logging in the running daemon: every bundle's lines reach syslog through the one backend, in
 * SONiC's style, and the level changes live through Config Admin. A real datagram socket stands
 * in for {@code /dev/log}.
 */
class LoggingTest {
    private static final String ENGINE = SyncEngine.class.getName();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisServer redis;
    private Netns ns;
    private Daemon daemon;
    private UnixDatagramReceiver syslog;
    private Path work;

    @BeforeEach
    void daemonLoggingToSyslog() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        work = Files.createTempDirectory("neighsyncd-syslog");
        syslog = new UnixDatagramReceiver(work.resolve("log").toString());
        redis = RedisServer.start();
        ns = Netns.create("nsd-log");
        ns.addVethPair("Ethernet0", "peer0");
        daemon = Daemon.start(Map.of("net.neighsyncd.logging", List.of("syslog = true",
                "syslogAddress = " + syslog.address())), "--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
    }

    @AfterEach
    void stopAll() throws Exception {
        Fixtures.closeAll(daemon, ns, redis, syslog);
    }

    @Test
    void linesOfEveryBundleReachSyslogInSonicStyle() throws Exception {
        // given: syslog is attached (the logging component reports its settings there)
        assertNotNull(syslog.next("neighsyncd: :- LoggingComponent: logging: level INFO", WAIT));
        // when: the APPL_DB connection is cut and a change follows (redis-sink reconnects)
        try (Jedis admin = redis.jedis(0)) {
            admin.clientKill(new ClientKillParams().type(ClientType.NORMAL).skipMe(ClientKillParams.SkipMe.YES));
        }
        ns.exec("neigh", "replace", "10.6.0.1", "lladdr", "02:00:00:06:00:01", "dev", "Ethernet0", "nud", "permanent");
        // then: its INFO line arrives as notice (user.notice = 13)
        UnixDatagramReceiver.Received connected = syslog.next(":- AppDbNeighborSink: APPL_DB sink connected", WAIT);
        assertNotNull(connected, "no redis-sink line in syslog");
        assertEquals("<13>", connected.message().substring(0, 4), connected.message());
        // when: the core rejects a configuration value (only now: next() skips the lines before
        // the one it waits for, so an earlier rejection would be passed over)
        daemon.updateConfiguration("net.neighsyncd.core", Map.of("ignoreInterfaces", "Ethernet[0"));
        // then: its ERROR line arrives as err (user.err = 11)
        UnixDatagramReceiver.Received rejected = syslog.next(":- ConfigGate: configuration net.neighsyncd.core rejected", WAIT);
        assertNotNull(rejected, "no core line in syslog");
        assertEquals("<11>", rejected.message().substring(0, 4), rejected.message());
    }

    @Test
    void entriesOfTheOsgiLogServiceReachTheSameBackend() throws Exception {
        // given: the OSGi Log Service that SCR, Config Admin and FileInstall log to
        var ref = daemon.context().getServiceReference("org.osgi.service.log.LoggerFactory");
        assertNotNull(ref, "no OSGi LoggerFactory service");
        Object factory = daemon.context().getService(ref);
        var getLogger = factory.getClass().getMethod("getLogger", String.class);
        getLogger.setAccessible(true);
        Object logger = getLogger.invoke(factory, "neighsyncd.itest");
        var warn = logger.getClass().getMethod("warn", String.class);
        warn.setAccessible(true);
        // when
        warn.invoke(logger, "a line through the OSGi Log Service");
        // then: felix.logback hands it to logback, whose syslog appender sends it (user.warning = 12)
        UnixDatagramReceiver.Received r = syslog.next("a line through the OSGi Log Service", WAIT);
        assertNotNull(r, "the OSGi Log Service entry did not reach logback");
        assertEquals("<12>", r.message().substring(0, 4), r.message());
    }

    @Test
    void debugLinesAppearAfterALiveLevelChangeWithoutRestartingTheEngine() throws Exception {
        // given: at info, a dropped neighbor is counted but not logged
        long engineId = daemon.serviceId(ENGINE);
        long before = daemon.dropped(DropReason.NOARP);
        noarp("10.6.0.2");
        Wait.until("the drop counted", WAIT, () -> daemon.dropped(DropReason.NOARP) > before);
        assertNull(syslog.next("dropped (noarp)", Duration.ofSeconds(1)), "a debug line at info level");
        // when: the core's loggers go to debug through Config Admin
        daemon.updateConfiguration("net.neighsyncd.logging", Map.of("loggers", new String[] { "net.neighsyncd.core=debug" }));
        assertNotNull(syslog.next("logging: level INFO, loggers {net.neighsyncd.core=DEBUG}", WAIT));
        // then: its debug line (user.debug = 15) says why. The syslog socket drops what does not fit
        // its queue (errno 11, counted), and the debug level the test just turned on floods it for a
        // moment: a line may be lost, so new neighbors are added until one's line arrives
        UnixDatagramReceiver.Received r = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int i = 3; r == null && i < 250 && System.nanoTime() < deadline; i++) {
            noarp("10.6.0." + i);
            r = syslog.next("dropped (noarp): NEWNEIGH Ethernet0(3) af=2 10.6.0." + i + " ", Duration.ofSeconds(2));
        }
        assertNotNull(r, "no debug line after the change");
        assertEquals("<15>", r.message().substring(0, 4), r.message());
        assertEquals(engineId, daemon.serviceId(ENGINE), "the engine was restarted");
    }

    @Test
    void rejectsAnUnknownLevelAndKeepsTheLastGoodOne() throws Exception {
        // given: core at debug
        daemon.updateConfiguration("net.neighsyncd.logging", Map.of("loggers", new String[] { "net.neighsyncd.core=debug" }));
        assertNotNull(syslog.next("loggers {net.neighsyncd.core=DEBUG}", WAIT));
        // when
        daemon.updateConfiguration("net.neighsyncd.logging", Map.of("level", "verbose"));
        // then: one line, a health problem, and debug lines still come
        Wait.until("the rejection in the health", WAIT, () -> daemon.problems().contains(
                "net.neighsyncd.logging: configuration rejected: level: 'verbose' is not one of error, warn, info, debug, trace, off"));
        noarp("10.6.0.4");
        assertNotNull(syslog.next("dropped (noarp)", WAIT), "the last good levels were not kept");
    }

    private void noarp(String ip) {
        ns.exec("neigh", "replace", ip, "lladdr", "02:00:00:06:00:09", "dev", "Ethernet0", "nud", "noarp");
    }
}
