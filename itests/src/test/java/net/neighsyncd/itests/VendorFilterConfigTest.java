package net.neighsyncd.itests;

import static net.neighsyncd.itests.ApplDbInbox.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Set;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/**
 * The example vendor filter reconfigured live through its file in etc/: the new pattern is applied
 * in place (the bundle and the core keep running) and APPL_DB gets only the difference.
 */
class VendorFilterConfigTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String E0_V4 = "Ethernet0:10.3.0.1";
    private static final String E0_V6 = "Ethernet0:fc00:30::1";
    private static final String E8_V4 = "Ethernet8:10.3.8.1";
    private static final String E8_V6 = "Ethernet8:fc00:38::1";

    private RedisServer redis;
    private Netns ns;
    private Daemon daemon;
    private ApplDbInbox inbox;
    private ExampleFilterBundle example;

    @BeforeEach
    void startDaemonWithTheExampleDroppingEthernet8() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis = RedisServer.start();
        ns = Netns.create("nsd-vfc");
        ns.addVethPair("Ethernet0", "peer0");
        ns.addVethPair("Ethernet8", "peer8");
        // markers go to an interface no pattern of this test matches
        ns.addVethPair("Ethernet12", "peer12");
        ns.exec("neigh", "replace", "10.3.0.1", "lladdr", "02:00:00:03:00:01", "dev", "Ethernet0", "nud", "permanent");
        ns.exec("neigh", "replace", "fc00:30::1", "lladdr", "02:00:00:03:00:02", "dev", "Ethernet0", "nud", "permanent");
        ns.exec("neigh", "replace", "10.3.8.1", "lladdr", "02:00:00:03:08:01", "dev", "Ethernet8", "nud", "permanent");
        ns.exec("neigh", "replace", "fc00:38::1", "lladdr", "02:00:00:03:08:02", "dev", "Ethernet8", "nud", "permanent");
        inbox = ApplDbInbox.start(redis, ns, "Ethernet12", WAIT);
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(WAIT);
        example = new ExampleFilterBundle(daemon, WAIT);
        inbox.clear();

        example.writeConfig("interfacePattern = ^Ethernet8$");
        example.awaitConfigured("^Ethernet8$");
        example.deploy();
        assertTrue(inbox.next(E8_V4).isDelete());
        assertTrue(inbox.next(E8_V6).isDelete());
        example.awaitActiveAndBound();
        inbox.assertNothingElseWritten();
    }

    @AfterEach
    void stopEverything() throws Exception {
        Fixtures.closeAll(inbox, daemon, ns, redis);
    }

    @Test
    void aNewPatternInTheConfigFileTakesEffectLiveWithOnlyTheDifferenceWritten() throws Exception {
        Bundle bundle = example.bundle();
        long engineServiceId = example.engineServiceId();
        long filterServiceId = (Long) example.filterService().getProperty("service.id");

        // when: the pattern widens to every single-digit Ethernet port (a backslash is written twice in a .cfg)
        example.writeConfig("interfacePattern = ^Ethernet\\\\d$");
        example.awaitServicePattern("^Ethernet\\d$");

        // then: Ethernet0 is withdrawn, Ethernet8 (already withdrawn) and the marker port are untouched
        assertTrue(inbox.next(E0_V4).isDelete());
        assertTrue(inbox.next(E0_V6).isDelete());
        inbox.assertNothingElseWritten();

        // when: it narrows to Ethernet0
        example.writeConfig("interfacePattern = ^Ethernet0$");
        example.awaitServicePattern("^Ethernet0$");

        // then: Ethernet8 comes back with its MACs, and nothing else is written
        assertEquals(set(E8_V4, "02:00:00:03:08:01", "IPv4"), inbox.next(E8_V4));
        assertEquals(set(E8_V6, "02:00:00:03:08:02", "IPv6"), inbox.next(E8_V6));
        inbox.assertNothingElseWritten();

        // and all of it happened in place: same bundle, same filter service, same core
        assertSame(bundle, example.bundle());
        assertEquals(Bundle.ACTIVE, bundle.getState());
        assertEquals(filterServiceId, (Long) example.filterService().getProperty("service.id"));
        assertEquals(engineServiceId, example.engineServiceId());
    }

    @Test
    void anInvalidPatternIsRejectedAndTheLastGoodOneStaysInForce() throws Exception {
        long engineServiceId = example.engineServiceId();

        // when: the file holds an expression that does not compile
        example.writeConfig("interfacePattern = Ethernet[");
        example.awaitServicePattern("Ethernet[");

        // then: nothing is written: Ethernet8 stays withdrawn, Ethernet0 stays
        inbox.assertNothingElseWritten();
        assertEquals(Bundle.ACTIVE, example.bundle().getState());
        // and the engine's health names the rejection
        String rejection = "com.example.neighsyncd.filter: configuration rejected: interfacePattern='Ethernet[' is not a "
                + "regular expression (Unclosed character class at index 8); keeping '^Ethernet8$'";
        assertTrue(problems().contains(rejection), () -> "problems: " + problems());

        // and the next good pattern applies from what was in force
        example.writeConfig("interfacePattern = ^Ethernet0$");
        example.awaitServicePattern("^Ethernet0$");
        assertTrue(inbox.next(E0_V4).isDelete());
        assertTrue(inbox.next(E0_V6).isDelete());
        assertEquals(set(E8_V4, "02:00:00:03:08:01", "IPv4"), inbox.next(E8_V4));
        assertEquals(set(E8_V6, "02:00:00:03:08:02", "IPv6"), inbox.next(E8_V6));
        inbox.assertNothingElseWritten();
        assertFalse(problems().contains(rejection), () -> "problems: " + problems());
        assertEquals(engineServiceId, example.engineServiceId());
    }

    private Set<?> problems() {
        try {
            return daemon.problems();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
