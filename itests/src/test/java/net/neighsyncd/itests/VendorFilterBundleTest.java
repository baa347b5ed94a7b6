package net.neighsyncd.itests;

import static net.neighsyncd.itests.ApplDbInbox.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.osgi.framework.Bundle;
import redis.clients.jedis.Jedis;

/**
 * The example vendor filter bundle (examples/vendor-filter) deployed into and removed from the
 * distribution's running runtime through its deploy folder, as an operator would: APPL_DB follows
 * with only the difference, and the core is never restarted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VendorFilterBundleTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String E0_V4 = "Ethernet0:10.2.0.1";
    private static final String E0_V6 = "Ethernet0:fc00:20::1";
    private static final String E8_V4 = "Ethernet8:10.2.8.1";
    private static final String E8_V6 = "Ethernet8:fc00:28::1";

    private RedisServer redis;
    private Netns ns;
    private Daemon daemon;
    private Jedis appl;
    private ApplDbInbox inbox;
    private ExampleFilterBundle example;
    private long engineServiceId;

    @BeforeAll
    void startDaemonOnANamespaceWithNeighborsOnEthernet0AndEthernet8() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis = RedisServer.start();
        ns = Netns.create("nsd-vfb");
        ns.addVethPair("Ethernet0", "peer0");
        ns.addVethPair("Ethernet8", "peer8");
        ns.exec("neigh", "replace", "10.2.0.1", "lladdr", "02:00:00:02:00:01", "dev", "Ethernet0", "nud", "permanent");
        ns.exec("neigh", "replace", "fc00:20::1", "lladdr", "02:00:00:02:00:02", "dev", "Ethernet0", "nud", "permanent");
        ns.exec("neigh", "replace", "10.2.8.1", "lladdr", "02:00:00:02:08:01", "dev", "Ethernet8", "nud", "permanent");
        ns.exec("neigh", "replace", "fc00:28::1", "lladdr", "02:00:00:02:08:02", "dev", "Ethernet8", "nud", "permanent");
        appl = redis.jedis(0);
        inbox = ApplDbInbox.start(redis, ns, "Ethernet0", WAIT);
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(WAIT);
        example = new ExampleFilterBundle(daemon, WAIT);
        engineServiceId = example.engineServiceId();
        // the four neighbors are in APPL_DB before any extension arrives
        assertEquals(set(E0_V4, "02:00:00:02:00:01", "IPv4"), inbox.next(E0_V4));
        assertEquals(set(E0_V6, "02:00:00:02:00:02", "IPv6"), inbox.next(E0_V6));
        assertEquals(set(E8_V4, "02:00:00:02:08:01", "IPv4"), inbox.next(E8_V4));
        assertEquals(set(E8_V6, "02:00:00:02:08:02", "IPv6"), inbox.next(E8_V6));
    }

    @BeforeEach
    void nothingPending() throws Exception {
        inbox.assertNothingElseWritten();
    }

    @AfterEach
    void removeTheExample() throws Exception {
        if (daemon == null) {
            return;
        }
        example.undeploy();
        example.awaitUninstalled();
        example.deleteConfig();
        example.awaitUnconfigured();
    }

    @AfterAll
    void stopEverything() throws Exception {
        Fixtures.closeAll(inbox, daemon, ns, redis);
    }

    @Test
    void droppingTheJarWithdrawsTheMatchingNeighborsAndRemovingItBringsThemBack() throws Exception {
        // given: the example's configuration in etc/, and no bundle to use it yet
        example.writeConfig("interfacePattern = ^Ethernet8$");
        example.awaitConfigured("^Ethernet8$");
        inbox.assertNothingElseWritten();

        // when: the jar is dropped into the deploy folder
        example.deploy();

        // then: orchagent sees a DEL for exactly the Ethernet8 neighbors, and nothing for Ethernet0
        assertTrue(inbox.next(E8_V4).isDelete());
        assertTrue(inbox.next(E8_V6).isDelete());
        Bundle bundle = example.awaitActiveAndBound();
        inbox.assertNothingElseWritten();
        assertFalse(appl.exists("NEIGH_TABLE:" + E8_V4));
        assertTrue(appl.exists("NEIGH_TABLE:" + E0_V4));
        // and the bundle runs beside a core that was not restarted
        assertEquals(Bundle.ACTIVE, bundle.getState());
        assertEquals(engineServiceId, example.engineServiceId());

        // when: the jar is removed from the deploy folder
        example.undeploy();

        // then: the Ethernet8 neighbors come back with their MACs, and still nothing for Ethernet0
        assertEquals(set(E8_V4, "02:00:00:02:08:01", "IPv4"), inbox.next(E8_V4));
        assertEquals(set(E8_V6, "02:00:00:02:08:02", "IPv6"), inbox.next(E8_V6));
        example.awaitUninstalled(bundle);
        assertNull(daemon.context().getBundle(bundle.getBundleId()));
        assertEquals(Bundle.UNINSTALLED, bundle.getState());
        inbox.assertNothingElseWritten();
        assertEquals(engineServiceId, example.engineServiceId());
    }

    @Test
    void theJarWithoutAConfigurationDropsNothing() throws Exception {
        // when: the jar is dropped without a configuration (the default pattern is empty)
        example.deploy();
        Bundle bundle = example.awaitActiveAndBound();

        // then: its filter is in force and changes nothing
        assertEquals("", example.filterService().getProperty("interfacePattern"));
        inbox.assertNothingElseWritten();

        // and its removal changes nothing either
        example.undeploy();
        example.awaitUninstalled(bundle);
        assertEquals(Bundle.UNINSTALLED, bundle.getState());
        inbox.assertNothingElseWritten();
        assertEquals(engineServiceId, example.engineServiceId());
    }
}
