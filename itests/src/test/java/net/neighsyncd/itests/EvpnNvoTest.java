package net.neighsyncd.itests;

import net.neighsyncd.api.engine.DropReason;
import static net.neighsyncd.itests.ApplDbInbox.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * An EVPN VXLAN switch (CONFIG_DB has a {@code VXLAN_EVPN_NVO} key) as orchagent sees it: a
 * neighbor's reachability re-check (REACHABLE, PROBE, REACHABLE) is no flap, and a neighbor in a
 * VRF has its host route removed at every set. The kernel here has no VRF devices; a bridge
 * named {@code Vrf1} stands in as the master, which is all the rule looks at.
 */
class EvpnNvoTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private RedisServer redis;
    private Netns ns;
    private Daemon daemon;
    private ApplDbInbox inbox;
    private OrchagentConsumer routes;
    private Jedis appl;

    @BeforeEach
    void startOnAnEvpnSwitch() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis = RedisServer.start();
        ns = Netns.create("nsd-evpn");
        ns.addVethPair("Ethernet0", "peer0");
        ns.addVethPair("Ethernet4", "peer4");
        ns.addVethPair("Ethernet12", "peer12");
        ns.exec("link", "add", "Vrf1", "type", "bridge");
        ns.exec("link", "set", "Ethernet4", "master", "Vrf1");
        ns.exec("link", "set", "Vrf1", "up");
        try (Jedis config = redis.jedis(4)) {
            config.hset("VXLAN_EVPN_NVO|nvo", "source_vtep", "vtep1");
        }
        appl = redis.jedis(0);
        inbox = ApplDbInbox.start(redis, ns, "Ethernet12", WAIT);
        routes = OrchagentConsumer.start(redis, 0, "ROUTE_TABLE");
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(WAIT);
        Wait.until("the EVPN variant in force", WAIT, () -> daemon.status(s -> s.gauges().modes().map(m -> m.evpnNvo()).orElse(false), false));
        inbox.clear();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (appl != null) {
            appl.close();
        }
        Fixtures.closeAll(inbox, routes, daemon, ns, redis);
    }

    @Test
    void aNeighborGoingToProbeAndBackGetsNoDeleteAndNoSet() throws Exception {
        // given a synced neighbor outside any VRF
        ns.exec("neigh", "replace", "10.4.0.1", "lladdr", "02:00:00:04:00:01", "dev", "Ethernet0", "nud", "reachable");
        assertEquals(set("Ethernet0:10.4.0.1", "02:00:00:04:00:01", "IPv4"), inbox.next("Ethernet0:10.4.0.1"));
        // when the kernel re-checks it: PROBE, then REACHABLE again
        long probes = daemon.dropped(DropReason.PROBE_EVPN);
        ns.exec("neigh", "change", "10.4.0.1", "dev", "Ethernet0", "nud", "probe");
        Wait.until("the PROBE message ignored", WAIT, () -> daemon.dropped(DropReason.PROBE_EVPN) > probes);
        ns.exec("neigh", "replace", "10.4.0.1", "lladdr", "02:00:00:04:00:01", "dev", "Ethernet0", "nud", "reachable");
        // then orchagent receives nothing for it: no DEL, no SET
        inbox.assertNothingElseWritten();
    }

    @Test
    void aNeighborInAVrfHasItsHostRouteRemovedAtEverySet() throws Exception {
        // given a host route to the neighbor in APPL_DB, as fpmsyncd leaves it
        appl.hset("ROUTE_TABLE:Vrf1:10.4.4.1", Map.of("nexthop", "10.9.9.9", "ifname", "Vlan99"));
        // when the neighbor appears on an interface of Vrf1
        ns.exec("neigh", "replace", "10.4.4.1", "lladdr", "02:00:00:04:04:01", "dev", "Ethernet4", "nud", "reachable");
        // then it is set, and the route was deleted ahead of it
        assertEquals(set("Ethernet4:10.4.4.1", "02:00:00:04:04:01", "IPv4"), inbox.next("Ethernet4:10.4.4.1"));
        assertEquals("DEL Vrf1:10.4.4.1", routes.next(WAIT).toString());
        assertEquals(Map.of(), appl.hgetAll("ROUTE_TABLE:Vrf1:10.4.4.1"));

        // when the route comes back, and the neighbor goes to PROBE and back with the same MAC
        appl.hset("ROUTE_TABLE:Vrf1:10.4.4.1", Map.of("nexthop", "10.9.9.9", "ifname", "Vlan99"));
        long probes = daemon.dropped(DropReason.PROBE_EVPN);
        ns.exec("neigh", "change", "10.4.4.1", "dev", "Ethernet4", "nud", "probe");
        Wait.until("the PROBE message ignored", WAIT, () -> daemon.dropped(DropReason.PROBE_EVPN) > probes);
        ns.exec("neigh", "replace", "10.4.4.1", "lladdr", "02:00:00:04:04:01", "dev", "Ethernet4", "nud", "reachable");
        // then the REACHABLE message sets the unchanged entry again and removes the route again, as SONiC does
        assertEquals(set("Ethernet4:10.4.4.1", "02:00:00:04:04:01", "IPv4"), inbox.next("Ethernet4:10.4.4.1"));
        assertEquals("DEL Vrf1:10.4.4.1", routes.next(WAIT).toString());
        assertEquals(Map.of(), appl.hgetAll("ROUTE_TABLE:Vrf1:10.4.4.1"));
        inbox.assertNothingElseWritten();
        routes.awaitIdle(WAIT);
        assertEquals(List.of(), routes.takeAll());
    }
}
