package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.ProducerStateTableConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The distribution boots in Felix with every bundle active, and a neighbor reaches Redis. */
class RuntimeBootTest {

    @Test
    void bootsAllBundlesActiveAndSyncsANamespaceNeighborIntoRedis() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-boot")) {
            // given
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                // when
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                ns.exec("neigh", "replace", "10.9.0.1", "lladdr", "02:00:00:00:09:01", "dev", "Ethernet0", "nud",
                        "permanent");
                // then
                assertEquals(List.of(), daemon.inactiveBundles());
                Jedis jedis = redis.jedis(0);
                ProducerStateTableConsumer consumer = new ProducerStateTableConsumer(jedis, "NEIGH_TABLE");
                Wait.until("key pending", Duration.ofSeconds(10),
                        () -> jedis.sismember("NEIGH_TABLE_KEY_SET", "Ethernet0:10.9.0.1"));
                List<Entry> popped = consumer.drainAllNotLikeOrchagent();
                assertEquals(List.of(new Entry("Ethernet0:10.9.0.1",
                        Map.of("neigh", "02:00:00:00:09:01", "family", "IPv4"), false)), popped);
                assertTrue(daemon.banner().contains("writing APPL_DB at " + redis.unixUrl(0)));
            }
        }
    }
}
