package net.neighsyncd.itests;

import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.DropReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.ProducerStateTableConsumer;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/**
 * Configuration changes and bundle swaps while the daemon syncs: each takes effect without
 * the engine being deactivated (its SyncEngine service keeps its service.id), and APPL_DB ends
 * up equal to the kernel.
 */
class LiveConfigurationTest {
    private static final String ENGINE = SyncEngine.class.getName();

    private RedisServer redis;
    private Netns ns;
    private Daemon daemon;
    private ApplDbInbox inbox;
    private long engineId;

    @BeforeEach
    void daemonOnTwoInterfaces() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis = RedisServer.start();
        ns = Netns.create("nsd-live");
        ns.addVethPair("Ethernet0", "peer0");
        ns.addVethPair("Ethernet4", "peer4");
        neigh("Ethernet0", "10.5.0.1", "02:00:00:05:00:01");
        neigh("Ethernet0", "fc00:5::1", "02:00:00:05:00:02");
        neigh("Ethernet4", "10.5.4.1", "02:00:00:05:04:01");
        // orchagent's consumer, with markers on Ethernet0
        inbox = ApplDbInbox.start(redis, ns, "Ethernet0", Duration.ofSeconds(15));
        daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(20));
        inbox.next("Ethernet0:10.5.0.1");
        inbox.next("Ethernet0:fc00:5::1");
        inbox.next("Ethernet4:10.5.4.1");
        inbox.assertNothingElseWritten();
        engineId = daemon.serviceId(ENGINE);
    }

    @AfterEach
    void stopAll() throws Exception {
        Fixtures.closeAll(inbox, daemon, ns, redis);
    }

    @Test
    void appliesARulesChangeFromTheEtcFileWithoutRestartingTheEngine() throws Exception {
        // when: the operator ignores Ethernet4 in the file
        editCore("ignoreInterfaces = Ethernet4");
        // then: exactly its entry is deleted
        assertEquals(Set.of("DEL Ethernet4:10.5.4.1"), awaitPopped(1));
        // and when the line goes again, it comes back
        editCore("ignoreInterfaces =");
        assertEquals(Set.of("SET Ethernet4:10.5.4.1"), awaitPopped(1));
        assertEquals(engineId, daemon.serviceId(ENGINE), "the engine was restarted");
    }

    @Test
    void appliesAChangeThroughConfigAdminWithoutRestartingTheEngine() throws Exception {
        // when: IPv6 is no longer synced, set as the Web Console would
        daemon.updateConfiguration("net.neighsyncd.core", Map.of("families", "IPv4"));
        // then
        assertEquals(Set.of("DEL Ethernet0:fc00:5::1"), awaitPopped(1));
        assertEquals(engineId, daemon.serviceId(ENGINE), "the engine was restarted");
    }

    @Test
    void rejectsAnInvalidValueAndKeepsTheLastGoodConfiguration() throws Exception {
        // given: a valid change first
        editCore("ignoreInterfaces = Ethernet4");
        assertEquals(Set.of("DEL Ethernet4:10.5.4.1"), awaitPopped(1));
        // when: a malformed pattern replaces it
        editCore("ignoreInterfaces = Ethernet[4");
        // then: it is reported, and Ethernet4 stays ignored while Ethernet0 keeps syncing
        Wait.until("the rejection in the health", Duration.ofSeconds(10),
                () -> daemon.problems().stream().anyMatch(p -> p.startsWith("net.neighsyncd.core: configuration rejected")));
        neigh("Ethernet4", "10.5.4.2", "02:00:00:05:04:02");
        neigh("Ethernet0", "10.5.0.2", "02:00:00:05:00:03");
        assertEquals(Set.of("SET Ethernet0:10.5.0.2"), awaitPopped(1));
        assertTrue(daemon.dropped(DropReason.INTERFACE_IGNORED) >= 1);
        assertTrue(daemon.status(s -> s.health().degraded(), false), "the rejection degrades the daemon");
        assertTrue(daemon.status(s -> s.health().ready(), false), "and it stays ready: it syncs on with the last good one");
        assertEquals(engineId, daemon.serviceId(ENGINE), "the engine was restarted");
    }

    @Test
    void showsARejectedSinkConfigurationInTheHealthAndKeepsWriting() throws Exception {
        // when: an invalid batch size reaches the APPL_DB sink's file
        Path file = daemon.configDir().resolve("net.neighsyncd.redis.cfg");
        Files.writeString(file, "batchSize = 0\n", StandardOpenOption.APPEND);
        // then: the engine's health names it, and writes go on with the last good configuration
        Wait.until("the rejection in the health", Duration.ofSeconds(10),
                () -> daemon.problems().stream()
                        .anyMatch(p -> p.startsWith("net.neighsyncd.redis: ") && p.contains("batchSize=0")));
        neigh("Ethernet0", "10.5.0.9", "02:00:00:05:00:09");
        assertEquals(Set.of("SET Ethernet0:10.5.0.9"), awaitPopped(1));
    }

    @Test
    void losesNothingWhileTheRedisSinkBundleIsStoppedAndStarted() throws Exception {
        // given
        Bundle sink = daemon.bundle("net.neighsyncd.redis.sink");
        // when: the sink bundle stops while the kernel changes, then starts again
        sink.stop();
        long handled = daemon.status(s -> s.counters().messages(), 0L);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add("neigh replace 10.5.1." + (i % 250) + " lladdr 02:00:00:05:01:" + String.format("%02x", i % 250)
                    + " dev Ethernet0 nud permanent");
        }
        lines.add("neigh del 10.5.0.1 dev Ethernet0");
        ns.batch(lines);
        // the engine has taken the kernel's last message (the delete) while no sink was there
        Wait.until("the changes handled with no sink", Duration.ofSeconds(15),
                () -> daemon.status(s -> s.counters().messages(), 0L) >= handled + 251);
        sink.start();
        // then
        new KernelAndApplDb(ns, "Ethernet0", redis, inbox.consumer()).awaitEqual(Duration.ofSeconds(30));
        assertEquals(engineId, daemon.serviceId(ENGINE), "the engine was restarted");
    }

    private void editCore(String line) throws Exception {
        Path file = daemon.configDir().resolve("net.neighsyncd.core.cfg");
        List<String> kept = Files.readAllLines(file).stream().filter(l -> !l.startsWith("ignoreInterfaces"))
                .collect(Collectors.toList());
        kept.add(line);
        Files.write(file, kept, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private void neigh(String ifname, String ip, String mac) {
        ns.exec("neigh", "replace", ip, "lladdr", mac, "dev", ifname, "nud", "permanent");
    }

    /**
     * What orchagent's consumer receives, as "SET key" / "DEL key", once {@code n} entries arrived
     * and then a marker neighbor written after them (so that anything else written with them is
     * in too).
     */
    private Set<String> awaitPopped(int n) throws Exception {
        Wait.until(n + " APPL_DB changes", Duration.ofSeconds(15), () -> inbox.size() >= n);
        Set<String> got = new java.util.TreeSet<>();
        for (ProducerStateTableConsumer.Entry e : inbox.everythingBeforeAMarker()) {
            got.add((e.isDelete() ? "DEL " : "SET ") + e.key());
        }
        return got;
    }
}
