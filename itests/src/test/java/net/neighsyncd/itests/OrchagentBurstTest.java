package net.neighsyncd.itests;

import net.neighsyncd.api.engine.SyncStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A burst of kernel neighbors reaches orchagent completely: the daemon announces every new key on
 * the channel, so a consumer woken once per message that pops at most 128 keys per wake-up (as
 * orchagent does) leaves nothing waiting in {@code NEIGH_TABLE_KEY_SET}.
 */
class OrchagentBurstTest {
    private static final int N = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void tenThousandNeighborsAddedAtOnceAreAllPoppedByOrchagentPopping128PerWakeUp() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-burst")) {
            // given orchagent's consumer listening, and the daemon in sync with an empty namespace
            ns.addVethPair("Ethernet0", "peer0");
            try (OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 0, "NEIGH_TABLE",
                    OrchagentConsumer.ORCHAGENT_POP_BATCH_SIZE);
                    Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                // when 10,000 permanent neighbors are added in one ip -batch
                Set<String> keys = new HashSet<>();
                ns.batch(permanentNeighbors(7, keys));
                // then orchagent pops every one of them
                List<Entry> popped = orchagent.awaitKeys(keys, WAIT);
                // and once the daemon has nothing left to write and orchagent has handled every wake-up,
                Wait.until("the daemon idle", WAIT, () -> daemon.status(SyncStatus::pendingWrites, -1) == 0);
                orchagent.awaitIdle(WAIT);
                popped.addAll(orchagent.takeAll());
                // each key was popped once, as a set, and nothing waits
                assertEquals(keys, popped.stream().map(Entry::key).collect(Collectors.toSet()));
                assertEquals(N, popped.size(), "each key popped once");
                assertEquals(N, popped.stream().filter(e -> !e.isDelete()).count());
                try (Jedis appl = redis.jedis(0)) {
                    assertEquals(0, appl.scard("NEIGH_TABLE_KEY_SET"), orchagent.summary());
                    assertEquals(0, appl.scard("NEIGH_TABLE_DEL_SET"));
                    assertEquals(N, appl.dbSize(), "only NEIGH_TABLE:<key> left: " + orchagent.summary());
                }
                System.out.printf(Locale.ROOT, "burst to orchagent: %d keys, %d wake-ups, %d popped nothing%n", N,
                        orchagent.wakeUpsHandled(), orchagent.emptyPops());
            }
        }
    }

    @Test
    void aColdStartOverTenThousandNeighborsAnnouncesEachKeyOnceAndOrchagentPopsEachOnce() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-cold")) {
            // given 10,000 permanent neighbors in the kernel and orchagent's consumer listening
            ns.addVethPair("Ethernet0", "peer0");
            Set<String> keys = new HashSet<>();
            ns.batch(permanentNeighbors(8, keys));
            try (OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 0, "NEIGH_TABLE",
                    OrchagentConsumer.ORCHAGENT_POP_BATCH_SIZE)) {
                // when the daemon starts cold, reads APPL_DB back while it writes, and syncs them all
                try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                    daemon.awaitInitialSync(WAIT);
                    List<Entry> popped = orchagent.awaitKeys(keys, WAIT);
                    Wait.until("the daemon idle", WAIT,
                            () -> daemon.status(SyncStatus::pendingWrites, -1) == 0);
                    orchagent.awaitIdle(WAIT);
                    popped.addAll(orchagent.takeAll());
                    // then every key was written and announced once: no key is set a second time
                    assertEquals(N, orchagent.wakeUpsReceived(), orchagent.summary());
                    assertEquals(N, popped.size(), "each key popped once: " + orchagent.summary());
                    assertEquals(keys, popped.stream().map(Entry::key).collect(Collectors.toSet()));
                    assertEquals(N, daemon.status(s -> s.appDb().writtenSet(), 0L));
                }
            }
        }
    }

    /**
     * {@code ip -batch} lines for N permanent neighbors on Ethernet0 in 10.{@code net}.0.0/16, each
     * with a MAC of its own; their APPL_DB keys are added to {@code keys}.
     */
    private static List<String> permanentNeighbors(int net, Set<String> keys) {
        List<String> lines = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            String ip = "10." + net + "." + (i >> 8) + "." + (i & 0xFF);
            lines.add(String.format(Locale.ROOT, "neigh replace %s lladdr 02:%02x:00:00:%02x:%02x dev Ethernet0 "
                    + "nud permanent", ip, net, i >> 8, i & 0xFF));
            keys.add("Ethernet0:" + ip);
        }
        return lines;
    }
}
