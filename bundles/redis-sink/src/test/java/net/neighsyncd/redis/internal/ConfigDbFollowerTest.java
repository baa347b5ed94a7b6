package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.engine.SwitchModes;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** What neighsyncd follows in CONFIG_DB: switch modes (PEER_SWITCH, ipv6_use_link_local_only per interface table, VXLAN_EVPN_NVO), VRFs and their interfaces, polling and watching. */
@Timeout(60)
class ConfigDbFollowerTest extends RealRedisTest {
    private static final int CONFIG_DB = 4;

    private final ConfigDbFollower follower = new ConfigDbFollower();
    private final ConfigDbSwitchModes source = new ConfigDbSwitchModes(follower);
    private final ConfigDbVrfBindings vrfs = new ConfigDbVrfBindings(follower);
    private final ConfigDbReader reader = new ConfigDbReader("|");

    @AfterEach
    void deactivate() {
        follower.deactivate();
    }

    private static Map<String, Object> config(int pollMillis) {
        Map<String, Object> m = new HashMap<>();
        m.put("redisUrl", redis.unixUrl(0));
        m.put("pollIntervalMillis", pollMillis);
        m.put("connectTimeoutMillis", 500);
        return m;
    }

    private SwitchModes read() {
        try (Jedis j = productionClient(CONFIG_DB)) {
            return reader.read(j).modes();
        }
    }

    @Test
    void anEmptyCONFIGDBMeansTheDefaults() {
        assertEquals(SwitchModes.DEFAULT, read());
    }

    @Test
    void anyPEERSWITCHKeyMakesTheSwitchDualToR() {
        try (Jedis config = redis.jedis(CONFIG_DB); Jedis appl = redis.jedis(0)) {
            // given PEER_SWITCH only in APPL_DB and a look-alike table, then not dual ToR
            appl.hset("PEER_SWITCH|peer", "address_ipv4", "10.1.0.33");
            config.hset("PEER_SWITCH_X|peer", "address_ipv4", "10.1.0.33");
            assertFalse(read().dualTor());
            // when CONFIG_DB gets one, then dual ToR
            config.hset("PEER_SWITCH|switch-b", "address_ipv4", "10.1.0.33");
            assertTrue(read().dualTor());
            // when it goes, then not
            config.del("PEER_SWITCH|switch-b");
            assertFalse(read().dualTor());
        }
    }

    @Test
    void anyVXLANEVPNNVOKeyMakesTheSwitchAnEvpnNvo() {
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            assertFalse(read().evpnNvo());
            config.hset("VXLAN_EVPN_NVO|nvo", "source_vtep", "vtep1");
            assertTrue(read().evpnNvo());
            config.del("VXLAN_EVPN_NVO|nvo");
            assertFalse(read().evpnNvo());
        }
    }

    @Test
    void linkLocalOnlyIsReadFromTheInterfacesOwnKeyInTheTableItsNameSelects() {
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            // given
            config.hset("INTERFACE|Ethernet0", "ipv6_use_link_local_only", "enable");
            config.hset("INTERFACE|Ethernet4", "ipv6_use_link_local_only", "disable");
            config.hset("INTERFACE|Ethernet8|fe80::1/64", "ipv6_use_link_local_only", "enable");
            config.hset("INTERFACE|Ethernet8", "NULL", "NULL");
            config.hset("VLAN_INTERFACE|Vlan1000", "ipv6_use_link_local_only", "enable");
            config.hset("VLAN_INTERFACE|Vlan1000|192.168.0.1/21", "NULL", "NULL");
            config.hset("PORTCHANNEL_INTERFACE|PortChannel0001", "ipv6_use_link_local_only", "enable");
            config.hset("INTERFACE|Vlan2000", "ipv6_use_link_local_only", "enable");
            config.hset("VLAN_INTERFACE|Ethernet12", "ipv6_use_link_local_only", "enable");
            config.hset("PORTCHANNEL_INTERFACE|Vlan3000", "ipv6_use_link_local_only", "enable");
            config.hset("LOOPBACK_INTERFACE|Loopback0", "ipv6_use_link_local_only", "enable");
            config.hset("VLAN_SUB_INTERFACE|Ethernet16.10", "ipv6_use_link_local_only", "enable");
            config.hset("INTERFACE|Ethernet20", "ipv6_use_link_local_only", "Enable");
            // when
            SwitchModes modes = read();
            // then
            assertEquals(Set.of("Ethernet0", "Vlan1000", "PortChannel0001"), modes.linkLocalInterfaces());
            assertFalse(modes.dualTor());
        }
    }

    @Test
    void activationReadsCONFIGDBBeforeTheServiceIsUsed() {
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            config.hset("PEER_SWITCH|peer", "address_ipv4", "10.1.0.33");
            config.hset("VLAN_INTERFACE|Vlan1000", "ipv6_use_link_local_only", "enable");
        }
        follower.follow(config(60_000));
        assertEquals(new SwitchModes(true, Set.of("Vlan1000")), source.current());
    }

    @Test
    void followsKeyspaceNotificationsInsteadOfPollingWhereRedisSendsThem() throws Exception {
        // given Redis sending keyspace notifications, as SONiC's does, and a poll only once a minute
        try (Jedis admin = redis.jedis(0); Jedis config = redis.jedis(CONFIG_DB)) {
            admin.configSet("notify-keyspace-events", "AKE");
            try {
                BlockingQueue<SwitchModes> heard = new LinkedBlockingQueue<>();
                follower.follow(config(60_000));
                source.watch(heard::add);
                // then polling stops once the subscription is up
                waitUntil(() -> !follower.polling());
                // when a PEER_SWITCH key appears, then it is heard long before any poll would run
                config.hset("PEER_SWITCH|switch-b", "address_ipv4", "10.1.0.33");
                assertTrue(heard.poll(10, TimeUnit.SECONDS).dualTor());
                // and when it goes
                config.del("PEER_SWITCH|switch-b");
                assertFalse(heard.poll(10, TimeUnit.SECONDS).dualTor());
                assertFalse(follower.polling());
            } finally {
                admin.configSet("notify-keyspace-events", "");
            }
        }
    }

    @Test
    void pollsWhereRedisSendsNoKeyspaceNotifications() throws Exception {
        // given Redis without keyspace notifications (its default)
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            BlockingQueue<SwitchModes> heard = new LinkedBlockingQueue<>();
            follower.follow(config(100));
            source.watch(heard::add);
            // when
            config.hset("VXLAN_EVPN_NVO|nvo", "source_vtep", "vtep1");
            // then a poll finds it, and polling goes on
            assertTrue(heard.poll(10, TimeUnit.SECONDS).evpnNvo());
            assertTrue(follower.polling());
        }
    }

    @Test
    void keyspaceNotificationsCoverTheSwitchModesOnlyWithKeyspaceAndHashAndGenericEvents() {
        assertTrue(KeyspaceWatch.covers("AKE"));
        assertTrue(KeyspaceWatch.covers("Kgh"));
        assertFalse(KeyspaceWatch.covers(""));
        assertFalse(KeyspaceWatch.covers("AE"), "keyevent only: no key names per channel");
        assertFalse(KeyspaceWatch.covers("Kh"), "no DEL");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "condition not met within 10 s");
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    @Test
    void watchersHearEachChangeOnceAndNothingWhileNothingChanges() throws Exception {
        // given a source polling every 100 ms and a watcher
        follower.follow(config(100));
        BlockingQueue<SwitchModes> heard = new LinkedBlockingQueue<>();
        AutoCloseable watch = source.watch(heard::add);
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            // when nothing changes for several reads (two of them ours: poll() returns once read
            // and told), then nothing is heard
            follower.poll();
            follower.poll();
            assertNull(heard.poll());
            // when an interface turns link-local-only, then one notification
            config.hset("INTERFACE|Ethernet0", "ipv6_use_link_local_only", "enable");
            assertEquals(new SwitchModes(false, Set.of("Ethernet0")), heard.poll(5, TimeUnit.SECONDS));
            follower.poll();
            assertNull(heard.poll(), "heard once");
            // when the switch becomes dual ToR, then one notification
            config.hset("PEER_SWITCH|peer", "address_ipv4", "10.1.0.33");
            assertEquals(new SwitchModes(true, Set.of("Ethernet0")), heard.poll(5, TimeUnit.SECONDS));
            assertEquals(new SwitchModes(true, Set.of("Ethernet0")), source.current());
            // when the watch is closed, then later changes are not heard
            watch.close();
            config.del("PEER_SWITCH|peer");
            follower.poll();
            assertFalse(source.current().dualTor());
            assertNull(heard.poll());
        }
    }

    @Test
    void whileRedisFailsTheLastValueStaysAndPollingResumesAfter() throws Exception {
        // given a known dual-ToR switch
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            config.hset("PEER_SWITCH|peer", "address_ipv4", "10.1.0.33");
        }
        follower.follow(config(60_000));
        List<SwitchModes> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        source.watch(heard::add);
        SwitchModes before = source.current();
        assertTrue(before.dualTor());
        // when Redis is down, then polls keep the last value and tell no one
        redis.kill();
        follower.poll();
        follower.poll();
        assertEquals(before, source.current());
        assertTrue(heard.isEmpty());
        // when Redis comes back (empty), then the next poll reads it and tells the watchers
        redis.restart();
        follower.poll();
        assertEquals(SwitchModes.DEFAULT, source.current());
        assertEquals(List.of(SwitchModes.DEFAULT), heard);
    }

    @Test
    void aChangedPollIntervalTakesEffectAndAnInvalidOneIsIgnored() throws Exception {
        // given a source that would poll only once a minute
        follower.follow(config(60_000));
        BlockingQueue<SwitchModes> heard = new LinkedBlockingQueue<>();
        source.watch(heard::add);
        // when an invalid interval arrives, then it is ignored
        Map<String, Object> bad = config(5);
        follower.modified(bad);
        assertEquals(60_000, follower.settings().pollIntervalMillis());
        // when the interval becomes 100 ms, then a change is seen quickly
        follower.modified(config(100));
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            config.hset("PEER_SWITCH|peer", "address_ipv4", "10.1.0.33");
        }
        SwitchModes got = heard.poll(5, TimeUnit.SECONDS);
        assertTrue(got != null && got.dualTor(), String.valueOf(got));
    }

    @Test
    void theInterfaceOfAKeyFollowsSONiCsNamePrefixes() {
        assertEquals("Ethernet0", reader.interfaceOf("INTERFACE|Ethernet0"));
        assertEquals("Vlan10", reader.interfaceOf("VLAN_INTERFACE|Vlan10"));
        assertEquals("PortChannel5", reader.interfaceOf("PORTCHANNEL_INTERFACE|PortChannel5"));
        assertNull(reader.interfaceOf("INTERFACE|Ethernet0|10.0.0.0/31"));
        assertNull(reader.interfaceOf("INTERFACE|PortChannel5"));
        assertNull(reader.interfaceOf("MGMT_INTERFACE|eth0"));
        assertNull(reader.interfaceOf("INTERFACE|"));
        assertNull(reader.interfaceOf("INTERFACE"));
    }

    private VrfBindings readVrfs() {
        try (Jedis j = productionClient(CONFIG_DB)) {
            return reader.read(j).vrfs();
        }
    }

    @Test
    void readsTheVrfsAndTheInterfacesBoundToThemFromTheTableEachNameSelects() {
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            // given
            config.hset("VRF|Vrf-red", "NULL", "NULL");
            config.hset("VRF|Vrf-blue", "fallback", "false");
            config.hset("VRF|Vrf-x|extra", "NULL", "NULL");
            config.hset("INTERFACE|Ethernet0", "vrf_name", "Vrf-red");
            config.hset("INTERFACE|Ethernet0|10.0.0.1/31", "NULL", "NULL");
            config.hset("INTERFACE|Ethernet4", "NULL", "NULL");
            config.hset("INTERFACE|Ethernet8", "vrf_name", "");
            config.hset("INTERFACE|Ethernet12|10.0.0.5/31", "vrf_name", "Vrf-red");
            config.hset("VLAN_INTERFACE|Vlan1000", "vrf_name", "Vrf-blue");
            config.hset("PORTCHANNEL_INTERFACE|PortChannel0001", "vrf_name", "Vrf-red");
            config.hset("INTERFACE|Vlan2000", "vrf_name", "Vrf-red");
            // when
            VrfBindings read = readVrfs();
            // then
            assertEquals(Set.of("Vrf-red", "Vrf-blue"), read.vrfs());
            assertEquals(Map.of("Ethernet0", "Vrf-red", "Vlan1000", "Vrf-blue", "PortChannel0001", "Vrf-red"),
                    read.interfaces());
            assertEquals(VrfBindings.DEFAULT_VRF, read.vrfOf("Ethernet4"));
        }
    }

    @Test
    void aSubInterfacesVrfComesFromVlanSubInterfaceButNotItsLinkLocalSetting() {
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            // given: two sub-interfaces in VRFs, one asking for link-local-only there
            config.hset("VRF|Vrf-red", "NULL", "NULL");
            config.hset("VLAN_SUB_INTERFACE|Ethernet0.10", "vrf_name", "Vrf-red");
            config.hset("VLAN_SUB_INTERFACE|Po1.20", "vrf_name", "Vrf-red");
            config.hset("VLAN_SUB_INTERFACE|Ethernet0.10", "ipv6_use_link_local_only", "enable");
            config.hset("VLAN_SUB_INTERFACE|Ethernet0.10|10.1.0.1/31", "NULL", "NULL");
            config.hset("VLAN_SUB_INTERFACE|Ethernet8", "vrf_name", "Vrf-red");
            // when
            ConfigDbState read;
            try (Jedis j = productionClient(CONFIG_DB)) {
                read = reader.read(j);
            }
            // then: both bound; a name without a VLAN id is no sub-interface; no link-local from this table
            assertEquals(Map.of("Ethernet0.10", "Vrf-red", "Po1.20", "Vrf-red"), read.vrfs().interfaces());
            assertEquals(Set.of(), read.modes().linkLocalInterfaces());
        }
    }

    @Test
    void anInterfaceMovedToAnotherVrfIsHeardAsAVrfChangeOnly() throws Exception {
        try (Jedis config = redis.jedis(CONFIG_DB)) {
            // given
            config.hset("VRF|Vrf-red", "NULL", "NULL");
            config.hset("VRF|Vrf-blue", "NULL", "NULL");
            config.hset("INTERFACE|Ethernet0", "vrf_name", "Vrf-red");
            follower.follow(config(60_000));
            assertEquals("Vrf-red", vrfs.current().vrfOf("Ethernet0"));
            BlockingQueue<VrfBindings> heardVrfs = new LinkedBlockingQueue<>();
            BlockingQueue<SwitchModes> heardModes = new LinkedBlockingQueue<>();
            try (AutoCloseable a = vrfs.watch(heardVrfs::add); AutoCloseable b = source.watch(heardModes::add)) {
                // when
                config.hset("INTERFACE|Ethernet0", "vrf_name", "Vrf-blue");
                follower.poll();
                // then: the poll ran the watchers before it returned
                assertEquals(VrfBindings.of(Set.of("Vrf-red", "Vrf-blue"), Map.of("Ethernet0", "Vrf-blue")),
                        heardVrfs.poll());
                assertNull(heardModes.poll(), "the switch modes did not change");
                // and when the link-local mode changes, the VRF watchers hear nothing
                config.hset("INTERFACE|Ethernet0", "ipv6_use_link_local_only", "enable");
                follower.poll();
                assertEquals(new SwitchModes(false, Set.of("Ethernet0")), heardModes.poll());
                assertNull(heardVrfs.poll(), "the VRFs did not change");
            }
            assertEquals(VrfOrigin.CONFIG_DB, vrfs.origin());
        }
    }
}
