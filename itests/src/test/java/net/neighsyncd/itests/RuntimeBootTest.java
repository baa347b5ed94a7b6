package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;

/** The distribution boots in Felix with every bundle active, and a neighbor reaches Redis. */
class RuntimeBootTest {

    @Test
    void bootsAllBundlesActiveAndSyncsANamespaceNeighborIntoRedis() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-boot")) {
            // given orchagent's consumer listening
            ns.addVethPair("Ethernet0", "peer0");
            try (OrchagentConsumer orchagent = OrchagentConsumer.start(redis, 0, "NEIGH_TABLE");
                    Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                // when
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                ns.exec("neigh", "replace", "10.9.0.1", "lladdr", "02:00:00:00:09:01", "dev", "Ethernet0", "nud",
                        "permanent");
                // then
                assertEquals(List.of(), daemon.inactiveBundles());
                List<Entry> popped = orchagent.awaitKeys(List.of("Ethernet0:10.9.0.1"), Duration.ofSeconds(10));
                assertEquals(List.of(new Entry("Ethernet0:10.9.0.1",
                        Map.of("neigh", "02:00:00:00:09:01", "family", "IPv4"), false)), popped);
                assertTrue(daemon.banner().contains("writing APPL_DB at " + redis.unixUrl(0)));
            }
        }
    }
}
