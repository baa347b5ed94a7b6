package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** A test class against one real redis-server per class, emptied before each test. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class RealRedisTest {
    static RedisServer redis;

    @BeforeAll
    static void startRedis() throws IOException {
        assumeTrue(RedisServer.available(), () -> "skipped, no real Redis: " + RedisServer.whyUnavailable());
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    @BeforeEach
    void emptyRedis() throws IOException {
        if (!redis.isRunning()) {
            redis.restart();
        }
        try (Jedis j = redis.jedis(0)) {
            j.flushAll();
            j.scriptFlush();
        }
    }

    static NeighborChange set(String key, String mac) {
        return NeighborChange.set(new NeighborRecord(NeighborKey.parse(key), MacAddress.parse(mac)));
    }

    static NeighborChange del(String key) {
        return NeighborChange.delete(NeighborKey.parse(key));
    }

    /** A Redis client on the test server as the bundle makes it (its own Unix socket code). */
    static Jedis productionClient(int db) {
        RedisDatabase d = new RedisDatabase("APPL_DB", RedisEndpoint.unix(redis.socketPath()), db, ":");
        return RedisClients.open(d, 2000, 5000, "test");
    }

    /** Every key of database {@code db} with its value: sets sorted, hashes as maps. */
    static Map<String, Object> dump(int db) {
        Map<String, Object> out = new TreeMap<>();
        try (Jedis j = redis.jedis(db)) {
            List<String> keys = new ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = j.scan(cursor, new ScanParams().count(1000));
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            for (String k : keys) {
                String type = j.type(k);
                switch (type) {
                    case "set":
                        out.put(k, new TreeSet<>(j.smembers(k)));
                        break;
                    case "hash":
                        out.put(k, new TreeMap<>(j.hgetAll(k)));
                        break;
                    case "string":
                        out.put(k, j.get(k));
                        break;
                    default:
                        out.put(k, "<" + type + ">");
                }
            }
        }
        return out;
    }
}
