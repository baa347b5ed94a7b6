package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-ASIC switch's {@code database_global.json} and no pipeline configured: one pipeline per
 * namespace it lists, each writing the Redis its namespace's {@code database_config.json} names,
 * as orchagent of that ASIC reads it.
 */
class PipelinesFromDatabaseGlobalTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private RedisServer redis0;
    private RedisServer redis1;
    private Netns asic0;
    private Netns asic1;
    private Netns boot;
    private Daemon daemon;
    private ApplDbInbox inbox0;
    private ApplDbInbox inbox1;

    @AfterEach
    void stopAll() throws Exception {
        Fixtures.closeAll(inbox0, inbox1, daemon, asic0, asic1, boot, redis0, redis1);
    }

    /** A namespace's database_config.json as SONiC writes it, its instance on {@code redis}'s socket. */
    private static String databaseConfig(RedisServer redis) {
        return "{\"INSTANCES\": {\"redis\": {\"hostname\": \"127.0.0.1\", \"port\": 6379, \"unix_socket_path\": \""
                + redis.socketPath() + "\"}}, \"DATABASES\": {"
                + "\"APPL_DB\": {\"id\": 0, \"separator\": \":\", \"instance\": \"redis\"},"
                + "\"CONFIG_DB\": {\"id\": 4, \"separator\": \"|\", \"instance\": \"redis\"},"
                + "\"STATE_DB\": {\"id\": 6, \"separator\": \"|\", \"instance\": \"redis\"}}, \"VERSION\": \"1.0\"}";
    }

    @Test
    void makesOnePipelinePerNamespaceItListsEachWritingItsOwnRedis() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        // given: two ASIC namespaces, a Redis each, and SONiC's files naming them (the host's
        // entry too, as on a switch)
        redis0 = RedisServer.start();
        redis1 = RedisServer.start();
        asic0 = Netns.create("nsd-g0");
        asic1 = Netns.create("nsd-g1");
        boot = Netns.create("nsd-gboot");
        for (Netns ns : List.of(asic0, asic1, boot)) {
            ns.addVethPair("Ethernet0", "peer0");
        }
        Path global = tmp.resolve("redis/sonic-db/database_global.json");
        Files.createDirectories(global.getParent());
        for (int i = 0; i < 2; i++) {
            Path file = tmp.resolve("redis" + i + "/sonic-db/database_config.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, databaseConfig(i == 0 ? redis0 : redis1));
        }
        Files.writeString(global, "{\"INCLUDES\": [{\"include\": \"../../redis/sonic-db/database_config.json\"},"
                + "{\"namespace\": \"" + asic0.name() + "\", \"include\": \"../../redis0/sonic-db/database_config.json\"},"
                + "{\"namespace\": \"" + asic1.name() + "\", \"include\": \"../../redis1/sonic-db/database_config.json\"}],"
                + "\"VERSION\": \"1.0\"}");
        inbox0 = ApplDbInbox.start(redis0, asic0, "Ethernet0", WAIT);
        inbox1 = ApplDbInbox.start(redis1, asic1, "Ethernet0", WAIT);

        // when: the daemon starts with that database_global.json and no pipeline configuration
        daemon = Daemon.start(Map.of("net.neighsyncd.redis", List.of("databaseGlobalConfig = " + global)),
                "--redis-url", redis0.unixUrl(0), "--netns", boot.name());
        Wait.until("a pipeline in sync for each listed namespace", WAIT,
                () -> inSync(asic0.name()) && inSync(asic1.name()));

        // then: each ASIC's orchagent receives its namespace's neighbor, nothing else
        ApplDbInbox.eachReceivesOnlyItsOwn(List.of(inbox0, inbox1), "Ethernet0", List.of("10.62.0.1", "10.63.0.1"),
                List.of("02:00:00:62:00:01", "02:00:00:63:00:01"));
        // and: no pipeline for the namespace the daemon was started in
        assertEquals(2, daemon.context().getServiceReferences(SyncEngine.class, null).size());
    }

    private boolean inSync(String namespace) throws Exception {
        SyncEngine e = daemon.engine(namespace);
        return e != null && e.status().initialSyncDone();
    }
}
