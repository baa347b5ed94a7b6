package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.pipeline.Pipelines;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A multi-ASIC switch from one process: one pipeline (source, engine, APPL_DB sink) per network
 * namespace, each configured by a factory configuration of {@value Pipelines#FACTORY_PID} and
 * writing only its own namespace's Redis, as orchagent of that ASIC reads it.
 */
class PipelinesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private RedisServer redis0;
    private RedisServer redis1;
    private Netns asic0;
    private Netns asic1;
    private Netns boot;
    private Daemon daemon;
    private ApplDbInbox inbox0;
    private ApplDbInbox inbox1;
    /** The service id of the engine the daemon started with, in the boot namespace. */
    private long bootEngine;
    /** The PID of asic1's pipeline configuration. */
    private String asic1Pipeline;

    @BeforeEach
    void startTwoPipelines() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis0 = RedisServer.start();
        redis1 = RedisServer.start();
        asic0 = Netns.create("nsd-asic0");
        asic1 = Netns.create("nsd-asic1");
        boot = Netns.create("nsd-boot");
        asic0.addVethPair("Ethernet0", "peer0");
        asic1.addVethPair("Ethernet0", "peer0");
        boot.addVethPair("Ethernet0", "peer0");
        inbox0 = ApplDbInbox.start(redis0, asic0, "Ethernet0", WAIT);
        inbox1 = ApplDbInbox.start(redis1, asic1, "Ethernet0", WAIT);
        // given: the daemon as one pipeline of another namespace, then a configuration per ASIC,
        // as a multi-ASIC switch's files would give (the first takes over the running pipeline,
        // which moves to asic0)
        daemon = Daemon.start("--redis-url", redis0.unixUrl(0), "--netns", boot.name());
        daemon.awaitInitialSync(WAIT);
        bootEngine = daemon.serviceId(SyncEngine.class.getName());
        daemon.createFactoryConfiguration(Pipelines.FACTORY_PID,
                Map.of("namespace", asic0.name(), "redisUrl", redis0.unixUrl(0)));
        asic1Pipeline = daemon.createFactoryConfiguration(Pipelines.FACTORY_PID,
                Map.of("namespace", asic1.name(), "redisUrl", redis1.unixUrl(0)));
        Wait.until("asic1's pipeline in sync", WAIT, () -> inSync(asic1.name()));
        Wait.until("the first pipeline moved to asic0", WAIT, () -> inSync(asic0.name()));
    }

    @AfterEach
    void stopAll() throws Exception {
        Fixtures.closeAll(inbox0, inbox1, daemon, asic0, asic1, boot, redis0, redis1);
    }

    private boolean inSync(String namespace) throws Exception {
        SyncEngine e = daemon.engine(namespace);
        return e != null && e.status().initialSyncDone();
    }

    private SyncStatus status(String namespace) throws Exception {
        return daemon.engine(namespace).status();
    }

    @Test
    void eachPipelineWritesItsOwnNamespacesNeighborsToItsOwnRedisOnly() throws Exception {
        // when: a neighbor in each ASIC's namespace, on interfaces of the same name; then each ASIC's
        // orchagent receives its own, and nothing else
        ApplDbInbox.eachReceivesOnlyItsOwn(List.of(inbox0, inbox1), "Ethernet0", List.of("10.60.0.1", "10.61.0.1"),
                List.of("02:00:00:60:00:01", "02:00:00:61:00:01"));
        // and: the engine that moved to asic0 started again for it (a start of its own, registered anew)
        long asic0Engine = (Long) daemon.context().getServiceReferences(SyncEngine.class,
                "(neighsyncd.namespace=" + asic0.name() + ")").iterator().next().getProperty("service.id");
        assertTrue(asic0Engine != bootEngine, "the boot namespace's engine kept its start for asic0");
        // and: two engines, one per namespace
        assertEquals(2, daemon.context().getServiceReferences(SyncEngine.class, null).size(),
                "one engine per pipeline");
    }

    @Test
    void killingOneAsicsRedisLeavesTheOtherPipelineSyncing() throws Exception {
        // when: asic1's Redis dies, then both kernels change
        redis1.kill();
        asic1.exec("neigh", "replace", "10.61.0.2", "lladdr", "02:00:00:61:00:02", "dev", "Ethernet0", "nud",
                "permanent");
        asic0.exec("neigh", "replace", "10.60.0.2", "lladdr", "02:00:00:60:00:02", "dev", "Ethernet0", "nud",
                "permanent");
        // then: asic0's orchagent still receives its change
        assertEquals(ApplDbInbox.set("Ethernet0:10.60.0.2", "02:00:00:60:00:02", "IPv4"),
                inbox0.next("Ethernet0:10.60.0.2"));
        // and: asic1's pipeline reports its Redis, asic0's does not
        Wait.until("asic1 not ready", WAIT, () -> !status(asic1.name()).health().ready());
        assertTrue(status(asic0.name()).health().ready(), status(asic0.name()).health().toString());
        // and: /health/ready names the namespace whose pipeline is down
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.httpPort() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("namespace " + asic1.name() + ": "), ready.body());
        assertTrue(!ready.body().contains("namespace " + asic0.name() + ": "), ready.body());
        // and: asic1's change arrives once its Redis is back
        redis1.restart();
        inbox1.close();
        inbox1 = ApplDbInbox.start(redis1, asic1, "Ethernet0", WAIT);
        Wait.until("asic1's change written again", WAIT,
                () -> redis1.jedis(0).exists("_NEIGH_TABLE:Ethernet0:10.61.0.2")
                        || redis1.jedis(0).exists("NEIGH_TABLE:Ethernet0:10.61.0.2"));
    }

    @Test
    void deletingOneNamespaceEndsItsPipelineWithAClearHealthStateAndLeavesTheOtherSyncing() throws Exception {
        // when: asic1's namespace is deleted (ip netns delete), then asic0's kernel changes
        String gone = asic1.name();
        asic1.close();
        asic0.exec("neigh", "replace", "10.60.0.3", "lladdr", "02:00:00:60:00:03", "dev", "Ethernet0", "nud",
                "permanent");
        // then: asic1's pipeline says so and is not ready
        Wait.until("asic1's pipeline reports its namespace deleted", WAIT, () -> status(gone).health().problems()
                .stream().anyMatch(p -> p.toString().contains("network namespace " + gone + " was deleted")));
        assertTrue(!status(gone).health().ready(), status(gone).health().toString());
        // and: asic0's orchagent receives its change, its pipeline ready
        assertEquals(ApplDbInbox.set("Ethernet0:10.60.0.3", "02:00:00:60:00:03", "IPv4"),
                inbox0.next("Ethernet0:10.60.0.3"));
        assertTrue(status(asic0.name()).health().ready(), status(asic0.name()).health().toString());
    }

    @Test
    void aThirdPipelineConfiguredAtRunTimeSyncsItsNamespaceWhileTheOthersGoOn() throws Exception {
        // given: a third ASIC's namespace and Redis
        try (RedisServer redis2 = RedisServer.start(); Netns asic2 = Netns.create("nsd-asic2")) {
            asic2.addVethPair("Ethernet0", "peer0");
            asic2.exec("neigh", "replace", "10.64.0.1", "lladdr", "02:00:00:64:00:01", "dev", "Ethernet0", "nud",
                    "permanent");
            try (ApplDbInbox inbox2 = ApplDbInbox.start(redis2, asic2, "Ethernet0", WAIT)) {
                // when: its pipeline is configured while the two others run
                daemon.createFactoryConfiguration(Pipelines.FACTORY_PID,
                        Map.of("namespace", asic2.name(), "redisUrl", redis2.unixUrl(0)));
                // then: its neighbor from before and one added now reach its orchagent
                assertEquals(ApplDbInbox.set("Ethernet0:10.64.0.1", "02:00:00:64:00:01", "IPv4"),
                        inbox2.next("Ethernet0:10.64.0.1"));
                inbox2.addNeighborAndReceiveIt("Ethernet0", "10.64.0.2", "02:00:00:64:00:02");
                inbox2.assertNothingElseWritten();
                // and: the others go on
                inbox0.addNeighborAndReceiveIt("Ethernet0", "10.60.0.4", "02:00:00:60:00:04");
                assertEquals(3, daemon.context().getServiceReferences(SyncEngine.class, null).size());
            }
        }
    }

    @Test
    void deletingAPipelinesConfigurationStopsItAndLeavesTheOtherSyncing() throws Exception {
        // when: asic1's pipeline configuration is deleted
        daemon.deleteConfiguration(asic1Pipeline);
        // then: its engine, source and sink are gone; asic0's pipeline goes on
        Wait.until("asic1's engine gone", WAIT, () -> daemon.engine(asic1.name()) == null);
        assertEquals(List.of(), List.copyOf(daemon.context().getServiceReferences(
                net.neighsyncd.api.engine.NeighborSource.class, "(neighsyncd.namespace=" + asic1.name() + ")")));
        assertEquals(List.of(), List.copyOf(daemon.context().getServiceReferences(
                net.neighsyncd.api.engine.NeighborSink.class, "(neighsyncd.namespace=" + asic1.name() + ")")));
        inbox0.addNeighborAndReceiveIt("Ethernet0", "10.60.0.9", "02:00:00:60:00:09");
        inbox0.assertNothingElseWritten();
        assertEquals(1, daemon.context().getServiceReferences(SyncEngine.class, null).size());
    }

    @Test
    void theMetricsOfEachPipelineCarryItsNamespace() throws Exception {
        // when: scraped (a scrape may show an engine's status up to 500 ms old, StatusMemo: the
        // pipeline that started last may not show its initial sync in the first one)
        Wait.until("every pipeline's series on /metrics", WAIT, () -> missingSeries(scrape()).isEmpty());
        // then: every engine's, source's and sink's series once per namespace, the moved pipeline's too
        String text = scrape();
        assertTrue(!text.contains("namespace=\"" + boot.name() + "\""), text);
        assertEquals(List.of(), missingSeries(text), text);
    }

    private String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private List<String> missingSeries(String text) {
        List<String> missing = new java.util.ArrayList<>();
        for (String ns : List.of(asic0.name(), asic1.name())) {
            for (String series : Set.of("neighsyncd_initial_sync_done{namespace=\"" + ns + "\"} 1.0",
                    "neighsyncd_netlink_messages_total{namespace=\"" + ns + "\",type=\"newneigh\"}",
                    "neighsyncd_redis_connected{namespace=\"" + ns + "\"} 1.0")) {
                if (!text.contains(series)) {
                    missing.add(series);
                }
            }
        }
        return missing;
    }
}
