package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import net.neighsyncd.itests.ApiTransport.Event;
import net.neighsyncd.itests.ApiTransport.Failure;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP and gRPC APIs answer from the same engine services, so each behaviour is stated once
 * and checked over both: the same filters, the same failures, the same watch semantics under a
 * 10,000-neighbor burst. One daemon (a real Redis, a real namespace) serves every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SameBehaviourOverBothApisTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String READER = "nsd_reader-token-for-both-apis-00000000000000000";
    private static final String ADMIN = "nsd_admin-token-for-both-apis-000000000000000000";
    private static final int V4 = 300;
    private static final int V6 = 100;

    private RedisServer redis;
    private Netns ns;
    private Daemon daemon;
    private int grpcPort;
    /** Every key of Ethernet0 the rules write, in the APIs' order, with its MAC. */
    private final Map<String, String> ethernet0 = new java.util.LinkedHashMap<>();

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @BeforeAll
    void startOneDaemonWithBothApis() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        redis = RedisServer.start();
        ns = Netns.create("nsd-both");
        ns.addVethPair("Ethernet0", "peer0");
        ns.addVethPair("Ethernet4", "peer4");
        ns.addVethPair("Ethernet8", "peer8");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < V4; i++) {
            String mac = String.format(Locale.ROOT, "02:00:%s:00:%02x:%02x", i % 2 == 0 ? "0a" : "0b", i >> 8, i & 0xFF);
            lines.add(String.format(Locale.ROOT, "neigh replace 10.20.%d.%d lladdr %s dev Ethernet0 nud permanent",
                    i >> 8, i & 0xFF, mac));
            ethernet0.put(String.format(Locale.ROOT, "Ethernet0:10.20.%d.%d", i >> 8, i & 0xFF), mac);
        }
        for (int i = 1; i <= V6; i++) {
            String mac = String.format(Locale.ROOT, "02:00:0c:00:00:%02x", i);
            lines.add(String.format(Locale.ROOT, "neigh replace fc00::%x lladdr %s dev Ethernet0 nud permanent", i, mac));
            ethernet0.put(String.format(Locale.ROOT, "Ethernet0:fc00::%x", i), mac);
        }
        lines.add("neigh replace fe80::5 lladdr 02:00:00:00:00:05 dev Ethernet0 nud permanent");
        ns.batch(lines);
        grpcPort = WebConsoleTest.freePort();
        String tokens = "tokens = reader:read:" + sha256(READER) + ", ops:admin:" + sha256(ADMIN);
        daemon = Daemon.start(Map.of("net.neighsyncd.access", List.of(tokens),
                "net.neighsyncd.rest", List.of("resyncMinIntervalSeconds = 3600"),
                "net.neighsyncd.grpc", List.of("port = " + grpcPort, "resyncMinIntervalSeconds = 3600")),
                "--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(WAIT);
        for (String api : List.of("rest", "grpc")) {
            try (ApiTransport t = transport(api)) {
                Wait.until(t.name() + " answering with the table", WAIT, () -> {
                    try {
                        return t.list(READER, Map.of(), 1000, null).entries().size() == V4 + V6;
                    } catch (ApiTransport.Refused e) {
                        return false;
                    }
                });
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (ns != null) {
            ns.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private ApiTransport transport(String api) {
        return api.equals("rest") ? new RestTransport(daemon.httpPort()) : new GrpcTransport(grpcPort);
    }

    private static List<String> keys(ApiTransport t, Map<String, String> filter, int pageSize) throws Exception {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            ApiTransport.Page page = t.list(READER, filter, pageSize, token);
            page.entries().forEach(e -> out.add(e.key()));
            token = page.next();
        } while (token != null);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rest", "grpc"})
    void filtersAndPagesSelectTheSameEntriesInTheApisOrder(String api) throws Exception {
        try (ApiTransport t = transport(api)) {
            List<String> all = new ArrayList<>(ethernet0.keySet());
            // every entry, a page of 64 at a time, in order: IPv4 by address as a number, then IPv6
            assertEquals(all, keys(t, Map.of(), 64));
            assertEquals(all.subList(V4, V4 + V6), keys(t, Map.of("family", "IPv6"), 1000));
            assertEquals(all.stream().filter(k -> ethernet0.get(k).startsWith("02:00:0b")).toList(),
                    keys(t, Map.of("mac", "02:00:0B"), 1000));
            assertEquals(all, keys(t, Map.of("interface", "Ethernet0", "state", "permanent", "vrf", "default"), 1000));
            assertEquals(List.of(), keys(t, Map.of("vrf", "Vrf9"), 1000));
            assertEquals(List.of(), keys(t, Map.of("state", "stale"), 1000));
            // each entry as the kernel has it
            ApiTransport.Entry first = t.list(READER, Map.of(), 1, null).entries().get(0);
            assertEquals(new ApiTransport.Entry("Ethernet0:10.20.0.0", "02:00:0a:00:00:00", "default", "permanent"),
                    first);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rest", "grpc"})
    void badInputAndMissingRightsFailTheSameWay(String api) throws Exception {
        try (ApiTransport t = transport(api)) {
            for (Map<String, String> bad : List.of(Map.of("mac", "zz"), Map.of("family", "IPv5"),
                    Map.of("state", "happy"), Map.of("interface", "a/b"), Map.of("interface", "x".repeat(16)))) {
                assertEquals(Failure.INVALID, assertThrows(ApiTransport.Refused.class,
                        () -> t.list(READER, bad, 10, null)).failure, bad.toString());
            }
            assertEquals(Failure.INVALID, refusal(() -> t.list(READER, Map.of(), 100_001, null)));
            assertEquals(Failure.INVALID, refusal(() -> t.list(READER, Map.of(), 10, "!!not-a-token")));
            assertEquals(Failure.INVALID, refusal(() -> t.verdict(READER, "Ethernet0", "10.0.0.999")));
            assertEquals(Failure.NOT_FOUND, refusal(() -> t.verdict(READER, "Ethernet0", "10.99.0.1")));
            assertEquals(Failure.NOT_FOUND, refusal(() -> t.phase(READER, "nope")));
            assertEquals(Failure.UNAUTHENTICATED, refusal(() -> t.list(null, Map.of(), 10, null)));
            assertEquals(Failure.UNAUTHENTICATED, refusal(() -> t.list(READER + "x", Map.of(), 10, null)));
            assertEquals(Failure.FORBIDDEN, refusal(() -> t.resync(READER, "not allowed")));
            assertEquals(Failure.INVALID, refusal(() -> t.resync(ADMIN, "two\nlines")));
            // and what is no failure answers the same
            assertEquals("synced", t.verdict(READER, "Ethernet0", "10.20.0.1"));
            assertEquals("ignored", t.verdict(READER, "Ethernet0", "fe80::5"));
            assertEquals("in_sync", t.phase(READER, ""));
        }
    }

    private static Failure refusal(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(ApiTransport.Refused.class, call).failure;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rest", "grpc"})
    void aResyncIsAskedOnceWithinTheInterval(String api) throws Exception {
        try (ApiTransport t = transport(api)) {
            assertTrue(t.resync(ADMIN, "both APIs") > 0);
            assertEquals(Failure.EXHAUSTED, refusal(() -> t.resync(ADMIN, "again")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rest", "grpc"})
    void aWatchFromAnotherHistoryIsResetAndGetsASnapshot(String api) throws Exception {
        try (ApiTransport t = transport(api);
                ApiTransport.Watch w = t.watch(READER, Map.of("interface", "Ethernet0"), "other-history", 1)) {
            Event reset = w.next(WAIT);
            assertEquals(Event.Kind.RESET, reset.kind());
            assertEquals("other_history", reset.reason());
            List<ApiTransport.Entry> snapshot = new ArrayList<>();
            Event part;
            do {
                part = w.next(WAIT);
                assertEquals(Event.Kind.SNAPSHOT, part.kind());
                snapshot.addAll(part.entries());
            } while (!part.last());
            assertEquals(new ArrayList<>(ethernet0.keySet()), snapshot.stream().map(ApiTransport.Entry::key).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rest", "grpc"})
    void aWatchSeesEveryChangeOfATenThousandBurstOnceInOrderResumesAndEndsEqualToApplDb(String api) throws Exception {
        String ifname = api.equals("rest") ? "Ethernet4" : "Ethernet8";
        int octet = api.equals("rest") ? 4 : 8;
        Map<String, String> filter = Map.of("interface", ifname);
        try (ApiTransport t = transport(api); KernelAndApplDb tables = new KernelAndApplDb(ns, ifname, redis)) {
            Map<String, String> view = new TreeMap<>();
            String history;
            long revision;
            try (ApiTransport.Watch w = t.watch(READER, filter, null, 0)) {
                // given: the watch's snapshot (the interface is empty)
                Event snap = w.next(WAIT);
                assertEquals(Event.Kind.SNAPSHOT, snap.kind());
                assertTrue(snap.last() && snap.entries().isEmpty(), snap.toString());
                history = snap.history();
                revision = snap.revision();
                // when: 10,000 neighbors in one ip -batch
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    lines.add(String.format(Locale.ROOT, "neigh replace 10.%d.%d.%d lladdr 02:00:%02x:00:%02x:%02x dev "
                            + "%s nud permanent", 30 + octet, i >> 8, i & 0xFF, octet, i >> 8, i & 0xFF, ifname));
                }
                ns.batch(lines);
                // then: every change once, in revision order; the watch is left after 4,000
                for (int n = 0; n < 4000; n++) {
                    revision = apply(view, w.next(WAIT), revision);
                }
            }
            // and: a watch resumed after the last change seen misses nothing, sends no snapshot
            try (ApiTransport.Watch w = t.watch(READER, filter, history, revision)) {
                while (view.size() < 10_000) {
                    revision = apply(view, w.next(WAIT), revision);
                }
                // and: its view is what orchagent sees in APPL_DB once the daemon is idle
                tables.awaitEqual(WAIT);
                assertEquals(tables.applDb(), view);
                // and: a delete reaches it
                String gone = String.format(Locale.ROOT, "10.%d.0.7", 30 + octet);
                ns.exec("neigh", "del", gone, "dev", ifname);
                Event delete = w.next(WAIT);
                assertEquals(Event.Kind.CHANGE, delete.kind());
                assertTrue(delete.delete());
                assertEquals(ifname + ":" + gone, delete.entry().key());
                assertNull(delete.entry().mac());
                assertEquals(revision + 1, delete.revision());
            }
        }
    }

    /** Applies a change to {@code view}: it must be the next revision, and a set of a key not seen. */
    private static long apply(Map<String, String> view, Event e, long revision) {
        assertEquals(Event.Kind.CHANGE, e.kind(), e.toString());
        assertEquals(revision + 1, e.revision(), "revisions follow each other");
        assertFalse(e.delete(), e.toString());
        assertNull(view.put(e.entry().key(), e.entry().mac()), "twice: " + e);
        return e.revision();
    }
}
