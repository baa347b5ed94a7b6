package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.neighsyncd.api.metrics.MeterSpec;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.engine.SinkException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.ScanParams;

/** The meters the APPL_DB sink publishes as a MeterSource, against a real Redis. */
@Timeout(60)
class AppDbNeighborSinkMetersTest extends RealRedisTest {
    private static final String ROUNDTRIPS = "neighsyncd.redis.roundtrips";
    private static final String RECONNECTS = "neighsyncd.redis.reconnects";
    private static final String CONNECT_FAILURES = "neighsyncd.redis.connect.failures";
    private static final String CONNECTED = "neighsyncd.redis.connected";
    private static final String SCRIPT_RELOADS = "neighsyncd.redis.script.reloads";
    private static final String K1 = "Ethernet0:10.0.0.1";
    private static final String MAC1 = "aa:bb:cc:dd:ee:01";

    private final AppDbNeighborSink sink = new AppDbNeighborSink();

    @AfterEach
    void deactivate() {
        sink.deactivate();
    }

    private void activate(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("connectTimeoutMillis", 500);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        sink.configure(m);
    }

    private double value(String name) {
        return sink.meters().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no meter " + name)).value().getAsDouble();
    }

    private static List<NeighborChange> changes(int n) {
        List<NeighborChange> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            changes.add(set("Ethernet0:10.0." + (i / 250) + "." + (i % 250 + 1), MAC1));
        }
        return changes;
    }

    @Test
    void theSinkPublishesItsConnectionsMetersByKindAndName() {
        // given
        activate("redisUrl", redis.unixUrl(0));
        // when
        Set<String> specs = new TreeSet<>();
        for (MeterSpec s : sink.meters()) {
            specs.add(s.kind() + " " + s.name() + s.tags());
        }
        // then
        assertEquals(Set.of("COUNTER " + ROUNDTRIPS + "{}", "COUNTER " + RECONNECTS + "{}",
                "COUNTER " + CONNECT_FAILURES + "{}", "GAUGE " + CONNECTED + "{}", "COUNTER " + SCRIPT_RELOADS + "{}"),
                specs);
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 100, RedisSettings.DEFAULT_BATCH_SIZE, 10000})
    void eachPipelineOfAWriteIsOneRoundTrip(int batchSize) throws SinkException {
        // given a connected sink
        activate("redisUrl", redis.unixUrl(0), "batchSize", batchSize);
        sink.apply(List.of(set(K1, MAC1)));
        double before = value(ROUNDTRIPS);
        // when it writes two round trips' worth of changes and one more
        int perTrip = Math.max(1, ProducerStateTable.OPS_PER_ROUND_TRIP / batchSize) * batchSize;
        List<NeighborChange> changes = changes(2 * perTrip + 1);
        sink.apply(changes);
        // then each pipeline was one round trip
        int trips = (changes.size() + perTrip - 1) / perTrip;
        assertEquals(trips, value(ROUNDTRIPS) - before);
    }

    @Test
    void readingTheStateBackCountsEachCommandAndEachPipeline() throws SinkException {
        // given a connected sink and entries to read back, none applied by a consumer (no T:* keys)
        activate("redisUrl", redis.unixUrl(0));
        int n = 2 * ProducerStateTable.READ_KEYS_PER_CALL * ProducerStateTable.READ_CALLS_PER_ROUND_TRIP + 1;
        sink.apply(changes(n));
        double before = value(ROUNDTRIPS);
        // when
        sink.readState();
        // then: INFO, SMEMBERS, each page of the SCAN for T:*, and the pipelines of the read script
        int perTrip = ProducerStateTable.READ_KEYS_PER_CALL * ProducerStateTable.READ_CALLS_PER_ROUND_TRIP;
        int pipelines = (n + perTrip - 1) / perTrip;
        assertEquals(1 + 1 + scanPages("NEIGH_TABLE:*") + pipelines, value(ROUNDTRIPS) - before);
    }

    @Test
    void aConnectionRedisClosedIsOneReconnectAndConnectedGoesFromZeroToOne() throws Exception {
        // given a connected sink
        activate("redisUrl", redis.unixUrl(0));
        sink.apply(List.of(set(K1, MAC1)));
        assertEquals(1.0, value(CONNECTED));
        double reconnects = value(RECONNECTS);
        // when Redis closes the sink's connection (CLIENT KILL)
        try (Jedis admin = redis.jedis(0)) {
            admin.clientKill(ClientKillParams.clientKillParams().id(clientId(admin, "neighsyncd-appldb")));
        }
        // then the next write fails and the sink holds no connection
        assertThrows(SinkException.class, () -> sink.apply(List.of(set(K1, MAC1))));
        assertEquals(0.0, value(CONNECTED));
        assertEquals(reconnects, value(RECONNECTS));
        // when it writes again
        sink.apply(List.of(set(K1, MAC1)));
        // then that was one new connection
        assertEquals(1.0, value(CONNECTED));
        assertEquals(reconnects + 1, value(RECONNECTS));
    }

    @Test
    void aRedisRestartCountsFailedConnectsWhileItIsDownAndOneReconnect() throws Exception {
        // given a connected sink
        activate("redisUrl", redis.unixUrl(0));
        sink.apply(List.of(set(K1, MAC1)));
        double reconnects = value(RECONNECTS);
        double failures = value(CONNECT_FAILURES);
        // when Redis is gone: the write on the old connection fails, then two attempts to connect
        redis.kill();
        assertThrows(SinkException.class, () -> sink.apply(List.of(set(K1, MAC1))));
        assertThrows(SinkException.class, () -> sink.apply(List.of(set(K1, MAC1))));
        assertThrows(SinkException.class, () -> sink.apply(List.of(set(K1, MAC1))));
        // then
        assertEquals(0.0, value(CONNECTED));
        assertEquals(failures + 2, value(CONNECT_FAILURES));
        // when Redis is back
        redis.restart();
        sink.apply(List.of(set(K1, MAC1)));
        // then
        assertEquals(1.0, value(CONNECTED));
        assertEquals(reconnects + 1, value(RECONNECTS));
    }

    @Test
    void connectingToAPortNobodyListensOnCountsConnectFailuresAndNoRoundTrip() throws Exception {
        // given a sink configured for a TCP port nobody listens on
        activate("redisUrl", "redis://127.0.0.1:" + freePort() + "/0");
        // when it tries twice
        assertThrows(SinkException.class, () -> sink.apply(List.of(set(K1, MAC1))));
        assertThrows(SinkException.class, () -> sink.apply(List.of(set(K1, MAC1))));
        // then
        assertEquals(2.0, value(CONNECT_FAILURES));
        assertEquals(0.0, value(CONNECTED));
        assertEquals(0.0, value(RECONNECTS));
        assertEquals(0.0, value(ROUNDTRIPS));
    }

    @Test
    void aScriptFlushIsOneScriptReload() throws SinkException {
        // given a connected sink
        activate("redisUrl", redis.unixUrl(0));
        sink.apply(List.of(set(K1, MAC1)));
        double before = value(SCRIPT_RELOADS);
        // when Redis forgets the scripts between two writes
        try (Jedis admin = redis.jedis(0)) {
            admin.scriptFlush();
        }
        sink.apply(List.of(del(K1)));
        // then
        assertEquals(before + 1, value(SCRIPT_RELOADS));
    }

    /** The id of the client named {@code name}, from CLIENT LIST. */
    private static String clientId(Jedis admin, String name) {
        for (String line : admin.clientList().split("\n")) {
            Map<String, String> fields = new HashMap<>();
            for (String field : line.trim().split(" ")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    fields.put(field.substring(0, eq), field.substring(eq + 1));
                }
            }
            if (name.equals(fields.get("name"))) {
                return fields.get("id");
            }
        }
        throw new AssertionError("no client named " + name + " in " + admin.clientList());
    }

    /** How many pages the SCAN for {@code pattern} in database 0 takes, with the sink's COUNT. */
    private static int scanPages(String pattern) {
        int pages = 0;
        try (Jedis j = redis.jedis(0)) {
            ScanParams params = new ScanParams().match(pattern).count(ProducerStateTable.SCAN_COUNT);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                cursor = j.scan(cursor, params).getCursor();
                pages++;
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
        return pages;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
