package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.List;
import net.neighsyncd.api.engine.NeighborQuery;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.vrf.VrfBindingSource;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfOrigin;
import net.neighsyncd.api.vrf.VrfResolver;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import redis.clients.jedis.Jedis;

/**
 * VRFs in the running daemon: the sources (CONFIG_DB, the kernel of the watched namespace) and the
 * VRF manager that merges them, a bundle that can be stopped and started while the sync goes on.
 */
class VrfTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int CONFIG_DB = 4;

    private RedisServer redis;
    private Netns ns;
    private Daemon daemon;

    @BeforeEach
    void startWithAVrfInConfigDb() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis = RedisServer.start();
        ns = Netns.create("nsd-vrf");
        ns.addVethPair("Ethernet0", "peer0");
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            config.hset("VRF|Vrf-red", "NULL", "NULL");
            config.hset("INTERFACE|Ethernet0", "vrf_name", "Vrf-red");
        }
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(WAIT);
    }

    @AfterEach
    void stopAll() throws Exception {
        Fixtures.closeAll(daemon, ns, redis);
    }

    /** The registered binding source of that origin, or null. */
    private ServiceReference<VrfBindingSource> source(VrfOrigin origin) throws Exception {
        for (ServiceReference<VrfBindingSource> r : daemon.context().getServiceReferences(VrfBindingSource.class, null)) {
            VrfBindingSource s = daemon.context().getService(r);
            try {
                if (s != null && s.origin() == origin) {
                    return r;
                }
            } finally {
                daemon.context().ungetService(r);
            }
        }
        return null;
    }

    @Test
    void theKernelSourceOfTheWatchedNamespaceBindsNothingToABridge() throws Exception {
        // given the kernel source of the daemon's namespace
        ServiceReference<VrfBindingSource> ref = source(VrfOrigin.KERNEL);
        assertNotNull(ref, "a VrfBindingSource service for the kernel");
        assertEquals(ns.name(), ref.getProperty("neighsyncd.namespace"));
        // when a port is enslaved to a bridge (the kernel here has no VRF devices), and a neighbor
        // after it shows the reader has read that far (one socket, in order)
        ns.addVethPair("Ethernet4", "peer4");
        ns.exec("link", "add", "Bridge1", "type", "bridge");
        ns.exec("link", "set", "Ethernet4", "master", "Bridge1");
        ns.exec("neigh", "replace", "10.9.0.1", "lladdr", "02:00:00:09:00:01", "dev", "Ethernet0", "nud", "permanent");
        try (Jedis appl = redis.jedis(0)) {
            Wait.until("the marker neighbor in APPL_DB", WAIT, () -> appl.exists("NEIGH_TABLE:Ethernet0:10.9.0.1")
                    || appl.exists("_NEIGH_TABLE:Ethernet0:10.9.0.1"));
        }
        // then a bridge is no VRF
        VrfBindingSource source = daemon.context().getService(ref);
        try {
            assertEquals(VrfBindings.NONE, source.current());
        } finally {
            daemon.context().ungetService(ref);
        }
    }

    @Test
    void anInterfaceMovedToAnotherVrfInConfigDbReachesTheBindingService() throws Exception {
        // given
        ServiceReference<VrfBindingSource> ref = source(VrfOrigin.CONFIG_DB);
        assertNotNull(ref, "a VrfBindingSource service for CONFIG_DB");
        VrfBindingSource source = daemon.context().getService(ref);
        assertEquals(VrfBindings.of(Set.of("Vrf-red"), Map.of("Ethernet0", "Vrf-red")), source.current());
        BlockingQueue<VrfBindings> heard = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = source.watch(heard::add); Jedis config = redis.jedis(CONFIG_DB)) {
            // when
            config.hset("VRF|Vrf-blue", "NULL", "NULL");
            config.hset("INTERFACE|Ethernet0", "vrf_name", "Vrf-blue");
            // then, by keyspace notification or poll, whichever CONFIG_DB allows
            VrfBindings expected = VrfBindings.of(Set.of("Vrf-red", "Vrf-blue"), Map.of("Ethernet0", "Vrf-blue"));
            VrfBindings last = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!expected.equals(last) && System.nanoTime() < deadline) {
                VrfBindings next = heard.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                last = next == null ? last : next;
            }
            assertEquals(expected, last);
            assertEquals(expected, source.current());
        } finally {
            daemon.context().ungetService(ref);
        }
    }

    private VrfResolver resolver() {
        ServiceReference<VrfResolver> ref = daemon.context().getServiceReference(VrfResolver.class);
        return ref == null ? null : daemon.context().getService(ref);
    }

    @Test
    void theManagerOffersConfigDbsBindingsAndFollowsAMove() throws Exception {
        // given
        Wait.until("the VRF manager's resolver", WAIT, () -> resolver() != null);
        VrfResolver resolver = resolver();
        assertEquals("Vrf-red", resolver.current().vrfOf("Ethernet0"));
        BlockingQueue<VrfBindings> heard = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = resolver.watch(heard::add); Jedis config = redis.jedis(CONFIG_DB)) {
            // when
            config.hdel("INTERFACE|Ethernet0", "vrf_name");
            config.hset("INTERFACE|Ethernet0", "NULL", "NULL");
            // then the interface is back in the default VRF, the VRF still known
            VrfBindings expected = VrfBindings.of(Set.of("Vrf-red"), Map.of());
            assertEquals(expected, heard.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(VrfBindings.DEFAULT_VRF, resolver.current().vrfOf("Ethernet0"));
        }
    }

    @Test
    void stoppingTheVrfBundleRemovesTheResolverWhileTheSyncGoesOnAndStartingItBringsItBack() throws Exception {
        // given
        Wait.until("the VRF manager's resolver", WAIT, () -> resolver() != null);
        Bundle vrf = daemon.bundle("net.neighsyncd.vrf");
        assertNotNull(vrf, "the vrf bundle");
        // when
        vrf.stop();
        // then no resolver, and a kernel neighbor still reaches APPL_DB
        assertNull(daemon.context().getServiceReference(VrfResolver.class));
        ns.exec("neigh", "replace", "10.9.0.2", "lladdr", "02:00:00:09:00:02", "dev", "Ethernet0", "nud", "permanent");
        try (Jedis appl = redis.jedis(0)) {
            Wait.until("the neighbor in APPL_DB", WAIT, () -> appl.exists("NEIGH_TABLE:Ethernet0:10.9.0.2")
                    || appl.exists("_NEIGH_TABLE:Ethernet0:10.9.0.2"));
        }
        // when started again, then the resolver is back with CONFIG_DB's bindings
        vrf.start();
        Wait.until("the VRF manager's resolver again", WAIT, () -> resolver() != null);
        assertEquals("Vrf-red", resolver().current().vrfOf("Ethernet0"));
    }

    @Test
    void theEngineCountsItsEntriesPerVrfByTheManagersBindingsAndAllInTheDefaultOneWithoutIt() throws Exception {
        // given Ethernet0 in Vrf-red (CONFIG_DB), Ethernet4 in none, three neighbors written
        Wait.until("the VRF manager's resolver", WAIT, () -> resolver() != null);
        ns.addVethPair("Ethernet4", "peer4");
        ns.exec("neigh", "replace", "10.9.1.1", "lladdr", "02:00:00:09:01:01", "dev", "Ethernet0", "nud", "permanent");
        ns.exec("neigh", "replace", "10.9.1.2", "lladdr", "02:00:00:09:01:02", "dev", "Ethernet0", "nud", "permanent");
        ns.exec("neigh", "replace", "10.9.4.1", "lladdr", "02:00:00:09:04:01", "dev", "Ethernet4", "nud", "permanent");
        SyncEngine engine = engine();
        Wait.until("three entries applied", WAIT, () -> engine.neighborsByVrf().values().stream()
                .mapToInt(Integer::intValue).sum() == 3);
        // then, in the engine and in /metrics
        assertEquals(Map.of("Vrf-red", 2, VrfBindings.DEFAULT_VRF, 1), engine.neighborsByVrf());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort()
                + "/metrics")).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> samples = MetricsEndpointTest.samples(metrics);
        assertEquals(2.0, samples.get("neighsyncd_neighbors_by_vrf{namespace=\"" + ns.name() + "\",vrf=\"Vrf-red\"}"), metrics);
        assertEquals(1.0, samples.get("neighsyncd_neighbors_by_vrf{namespace=\"" + ns.name() + "\",vrf=\"default\"}"), metrics);
        // when the VRF manager stops, then every entry counts in the default VRF
        daemon.bundle("net.neighsyncd.vrf").stop();
        assertEquals(Map.of(VrfBindings.DEFAULT_VRF, 3), engine.neighborsByVrf());
    }

    @Test
    void theEnginesQueryGivesEachEntryItsVrfAndFiltersByIt() throws Exception {
        // given Ethernet0 in Vrf-red (CONFIG_DB), Ethernet4 in none, a neighbor on each
        Wait.until("the VRF manager's resolver", WAIT, () -> resolver() != null);
        ns.addVethPair("Ethernet4", "peer4");
        ns.exec("neigh", "replace", "10.9.2.1", "lladdr", "02:00:00:09:02:01", "dev", "Ethernet0", "nud", "permanent");
        ns.exec("neigh", "replace", "10.9.2.4", "lladdr", "02:00:00:09:02:04", "dev", "Ethernet4", "nud", "permanent");
        SyncEngine engine = engine();
        Wait.until("both applied", WAIT, () -> engine.neighbors(NeighborQuery.all(10)).size() == 2);
        // when / then: every entry with its VRF, and one VRF's only
        assertEquals(List.of("Ethernet0:10.9.2.1 Vrf-red", "Ethernet4:10.9.2.4 default"),
                engine.neighbors(NeighborQuery.all(10)).stream().map(e -> e.record().key() + " " + e.vrf()).toList());
        assertEquals(List.of("Ethernet4:10.9.2.4"), engine.neighbors(new NeighborQuery("", VrfBindings.DEFAULT_VRF, 10))
                .stream().map(e -> e.record().key().toString()).toList());
        assertEquals(List.of("Ethernet0:10.9.2.1"), engine.neighbors(new NeighborQuery("10.9", "Vrf-red", 10))
                .stream().map(e -> e.record().key().toString()).toList());
    }

    @Test
    void aVrfPolicyWithSyncOffDeletesTheVrfsEntriesAndAnInterfaceMovingOutGetsItsBack() throws Exception {
        // given: a neighbor on Ethernet0 (Vrf-red) and one on Ethernet4 (no VRF), received by orchagent
        Wait.until("the VRF manager's resolver", WAIT, () -> resolver() != null);
        ns.addVethPair("Ethernet4", "peer4");
        try (ApplDbInbox inbox = ApplDbInbox.start(redis, ns, "Ethernet4", WAIT)) {
            ns.exec("neigh", "replace", "10.9.3.1", "lladdr", "02:00:00:09:03:01", "dev", "Ethernet0", "nud",
                    "permanent");
            ns.exec("neigh", "replace", "10.9.3.4", "lladdr", "02:00:00:09:03:04", "dev", "Ethernet4", "nud",
                    "permanent");
            assertEquals(ApplDbInbox.set("Ethernet0:10.9.3.1", "02:00:00:09:03:01", "IPv4"),
                    inbox.next("Ethernet0:10.9.3.1"));
            assertEquals(ApplDbInbox.set("Ethernet4:10.9.3.4", "02:00:00:09:03:04", "IPv4"),
                    inbox.next("Ethernet4:10.9.3.4"));
            // when: a policy says Vrf-red is not synced
            daemon.createFactoryConfiguration("net.neighsyncd.vrf.policy", Map.of("vrf", "Vrf-red", "sync", false));
            // then: Vrf-red's entry is deleted, nothing else written
            assertTrue(inbox.next("Ethernet0:10.9.3.1").isDelete());
            inbox.assertNothingElseWritten();
            // when: Ethernet0 leaves Vrf-red in CONFIG_DB
            try (Jedis config = redis.jedis(CONFIG_DB)) {
                config.hdel("INTERFACE|Ethernet0", "vrf_name");
                config.hset("INTERFACE|Ethernet0", "NULL", "NULL");
            }
            // then: its entry is written again, and only it
            assertEquals(ApplDbInbox.set("Ethernet0:10.9.3.1", "02:00:00:09:03:01", "IPv4"),
                    inbox.next("Ethernet0:10.9.3.1"));
            inbox.assertNothingElseWritten();
        }
    }

    @Test
    void stoppingTheVrfBundleLiftsItsPoliciesWithoutRestartingTheEngineAndStartingItAppliesThemAgain()
            throws Exception {
        // given: Ethernet0's neighbor written, then deleted by a policy that turns Vrf-red off
        Wait.until("the VRF manager's resolver", WAIT, () -> resolver() != null);
        ns.addVethPair("Ethernet4", "peer4");
        try (ApplDbInbox inbox = ApplDbInbox.start(redis, ns, "Ethernet4", WAIT)) {
            inbox.addNeighborAndReceiveIt("Ethernet0", "10.9.5.1", "02:00:00:09:05:01");
            daemon.createFactoryConfiguration("net.neighsyncd.vrf.policy", Map.of("vrf", "Vrf-red", "sync", false));
            assertTrue(inbox.next("Ethernet0:10.9.5.1").isDelete());
            long engineId = daemon.serviceId(SyncEngine.class.getName());
            // when: the vrf bundle stops
            Bundle vrf = daemon.bundle("net.neighsyncd.vrf");
            vrf.stop();
            // then: no VRF information, so the neighbor is synced; the same engine
            assertEquals(ApplDbInbox.set("Ethernet0:10.9.5.1", "02:00:00:09:05:01", "IPv4"),
                    inbox.next("Ethernet0:10.9.5.1"));
            assertEquals(engineId, daemon.serviceId(SyncEngine.class.getName()));
            // when: it starts again, then its policy applies again
            vrf.start();
            assertTrue(inbox.next("Ethernet0:10.9.5.1").isDelete());
            inbox.assertNothingElseWritten();
        }
    }

    @Test
    void aDeletedVrfTakesItsInterfacesBackToTheDefaultOneAndItsPolicyNoLongerApplies() throws Exception {
        // given: Ethernet0's neighbor written, then deleted by a policy that turns Vrf-red off
        Wait.until("the VRF manager's resolver", WAIT, () -> resolver() != null);
        ns.addVethPair("Ethernet4", "peer4");
        try (ApplDbInbox inbox = ApplDbInbox.start(redis, ns, "Ethernet4", WAIT)) {
            inbox.addNeighborAndReceiveIt("Ethernet0", "10.9.6.1", "02:00:00:09:06:01");
            daemon.createFactoryConfiguration("net.neighsyncd.vrf.policy", Map.of("vrf", "Vrf-red", "sync", false));
            assertTrue(inbox.next("Ethernet0:10.9.6.1").isDelete());
            // when: Vrf-red is deleted, as SONiC does it: its interfaces unbound, then the VRF
            try (Jedis config = redis.jedis(CONFIG_DB)) {
                config.hdel("INTERFACE|Ethernet0", "vrf_name");
                config.hset("INTERFACE|Ethernet0", "NULL", "NULL");
                config.del("VRF|Vrf-red");
            }
            // then: the VRF is gone from the bindings, and Ethernet0's neighbor is synced, alone
            Wait.until("Vrf-red gone", WAIT, () -> !resolver().current().vrfs().contains("Vrf-red"));
            assertEquals(ApplDbInbox.set("Ethernet0:10.9.6.1", "02:00:00:09:06:01", "IPv4"),
                    inbox.next("Ethernet0:10.9.6.1"));
            inbox.assertNothingElseWritten();
            assertEquals(Map.of(VrfBindings.DEFAULT_VRF, 1), engine().neighborsByVrf());
        }
    }

    private SyncEngine engine() {
        return daemon.context().getService(daemon.context().getServiceReference(SyncEngine.class));
    }
}
