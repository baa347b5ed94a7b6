package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/**
 * The REST API of the distribution's runtime (bundles/rest) with a real HTTP client, a real Redis
 * and a real namespace: what it answers, to whom, and its event stream through a burst.
 */
class RestApiTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String READER = "nsd_reader-token-for-the-rest-api-tests-000000000";
    private static final String ADMIN = "nsd_admin-token-for-the-rest-api-tests-0000000000";

    /** Requests no client should make: each must get a 4xx. */
    private static final List<String> HOSTILE = List.of("neighbors/Ethernet0/10.0.0.999",
            "neighbors/Ethernet0/fe80::zz", "neighbors/Eth%00ernet0/10.0.0.1", "neighbors?family=IPv5",
            "neighbors?state=happy", "neighbors?mac=zz", "neighbors?limit=0", "neighbors?limit=100001",
            "neighbors?limit=ten", "neighbors?cursor=!!notacursor", "neighbors?namespace=nope",
            "neighbors/..%2F..%2F..%2Fetc/passwd",
            "neighbors?interface=" + URLEncoder.encode("'; DROP TABLE", StandardCharsets.UTF_8),
            "neighbors?mac=" + "a".repeat(3000), "resyncs/not-a-number", "no-such-path");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Every response and event of these tests is checked against openapi.json. */
    private final OpenApiContract contract;

    RestApiTest() throws java.io.IOException {
        contract = new OpenApiContract();
    }

    /** The configuration admitting {@link #READER} (read) and {@link #ADMIN} (admin), by their hashes. */
    private static Map<String, List<String>> tokens(String... more) {
        List<String> lines = new ArrayList<>(List.of("resyncMinIntervalSeconds = 3600"));
        lines.addAll(List.of(more));
        return Map.of("net.neighsyncd.access", List.of("tokens = reader:read:" + sha256(READER) + ", ops:admin:"
                + sha256(ADMIN)), "net.neighsyncd.rest", lines);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (!servedByJetty(r)) {
            contract.check("GET", r);
        }
        return r;
    }

    /**
     * Whether Jetty answered itself, before any application: its 404 page while the rest bundle is
     * stopped, its 400 page for a URI it refuses (an encoded '/' or NUL in a path).
     */
    private static boolean servedByJetty(HttpResponse<String> r) {
        return r.headers().firstValue("Content-Type").orElse("").startsWith("text/html")
                && (r.statusCode() == 404 || r.statusCode() == 400);
    }

    private static void assertProblem(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                r.headers().toString());
        JSONObject p = new JSONObject(r.body());
        assertEquals(status, p.getInt("status"));
        assertFalse(p.getString("title").isEmpty());
        assertFalse(r.body().contains("Exception"), r.body());
    }

    /** These tests need a real redis-server and network namespaces (root). */
    private static void assumeRealParts() {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
    }

    /**
     * The daemon on {@code redis}, watching {@code ns}, with the test tokens and {@code settings} of
     * the rest bundle: returned once it has synced and its API answers.
     */
    private Daemon startedWithApi(RedisServer redis, Netns ns, String... settings) throws Exception {
        Daemon daemon = Daemon.start(tokens(settings), "--redis-url", redis.unixUrl(0), "--netns", ns.name());
        try {
            daemon.awaitInitialSync(WAIT);
            String base = api(daemon);
            Wait.until("the API up", WAIT, () -> get(base + "health", null).statusCode() == 200);
            return daemon;
        } catch (Exception | AssertionError e) {
            daemon.close();
            throw e;
        }
    }

    private static String api(Daemon d) {
        return "http://127.0.0.1:" + d.httpPort() + "/api/v1/";
    }

    @Test
    void answersEveryReadEndpointToATokenAndOnlyHealthWithoutOne() throws Exception {
        assumeRealParts();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-rest")) {
            ns.addVethPair("Ethernet0", "peer0");
            ns.exec("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "Ethernet0", "nud",
                    "permanent");
            try (Daemon daemon = startedWithApi(redis, ns)) {
                String base = api(daemon);
                // health, without a token
                assertEquals("UP", new JSONObject(get(base + "health", null).body()).getString("status"));
                // status
                JSONObject status = new JSONObject(get(base + "status", READER).body());
                assertEquals("in_sync", status.getString("phase"));
                assertEquals("disabled", status.getString("start"));
                assertTrue(status.getBoolean("ready"));
                // the applied table, and one neighbor
                JSONObject page = new JSONObject(get(base + "neighbors", READER).body());
                JSONArray items = page.getJSONArray("items");
                assertEquals(1, items.length(), page.toString());
                assertEquals("Ethernet0:10.0.0.2", items.getJSONObject(0).getString("key"));
                assertEquals("02:00:00:00:00:02", items.getJSONObject(0).getString("mac"));
                assertEquals("permanent", items.getJSONObject(0).getString("state"));
                assertTrue(page.getLong("revision") >= 1);
                HttpResponse<String> one = get(base + "neighbors/Ethernet0/10.0.0.2", READER);
                assertEquals(200, one.statusCode(), one.body());
                JSONObject explained = new JSONObject(one.body());
                assertEquals("IPv4", explained.getString("family"));
                assertEquals("permanent", explained.getJSONObject("kernel").getString("state"));
                assertEquals("synced", explained.getJSONObject("verdict").getString("disposition"));
                assertEquals("02:00:00:00:00:02", explained.getJSONObject("applDb").getString("mac"));
                assertFalse(explained.getJSONObject("applDb").getBoolean("pending"));
                assertProblem(get(base + "neighbors/Ethernet0/10.0.0.3", READER), 404);
                // a neighbor the rules ignore, with the reason
                ns.exec("neigh", "replace", "fe80::5", "lladdr", "02:00:00:00:00:05", "dev", "Ethernet0", "nud",
                        "permanent");
                Wait.until("the link-local neighbor read", WAIT,
                        () -> get(base + "neighbors/Ethernet0/fe80::5", READER).statusCode() == 200);
                JSONObject dropped = new JSONObject(get(base + "neighbors/Ethernet0/fe80::5", READER).body());
                assertEquals("ignored", dropped.getJSONObject("verdict").getString("disposition"));
                assertEquals("ipv6_link_local", dropped.getJSONObject("verdict").getString("reason"));
                assertFalse(dropped.getJSONObject("applDb").has("mac"));
                // the configuration in force: defaults and what is configured, secrets redacted
                JSONArray components = new JSONObject(get(base + "config", READER).body()).getJSONArray("components");
                Map<String, JSONObject> byPid = new HashMap<>();
                for (int i = 0; i < components.length(); i++) {
                    byPid.put(components.getJSONObject(i).getString("pid"), components.getJSONObject(i));
                }
                JSONObject rest = byPid.get("net.neighsyncd.rest");
                assertEquals("configured", rest.getString("source"), rest.toString());
                JSONObject access = byPid.get("net.neighsyncd.access");
                assertEquals("<redacted>", access.getJSONObject("properties").getString("tokens"), access.toString());
                assertEquals(3600, rest.getJSONObject("properties").getInt("resyncMinIntervalSeconds"));
                assertFalse(components.toString().contains(sha256(READER)), "no token hash shown");
                assertEquals(8192, byPid.get("net.neighsyncd.core").getJSONObject("properties")
                        .getInt("eventQueueCapacity"));
                // alerts, the OpenAPI document
                assertEquals(200, get(base + "alerts", READER).statusCode());
                assertTrue(new JSONObject(get(base + "openapi.json", READER).body()).similar(new JSONObject(contract.text())),
                        "the served openapi.json is the checked-in one");
                // without a token, or with a wrong one: 401 with the scheme named
                HttpResponse<String> anonymous = get(base + "status", null);
                assertProblem(anonymous, 401);
                assertEquals("Bearer realm=\"neighsyncd\"", anonymous.headers().firstValue("WWW-Authenticate")
                        .orElse(""));
                assertProblem(get(base + "neighbors", READER + "x"), 401);
                assertProblem(get(base + "no-such-thing", null), 401);
            }
        }
    }

    @Test
    void anAdminTokenAsksForAResyncAndFollowsItUntilDone() throws Exception {
        assumeRealParts();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-resync")) {
            ns.addVethPair("Ethernet0", "peer0");
            ns.exec("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "Ethernet0", "nud",
                    "permanent");
            try (Daemon daemon = startedWithApi(redis, ns)) {
                String base = api(daemon);
                // a read token may not
                assertProblem(post(base + "resync", READER), 403);
                // a body that is not JSON, or too large, is refused before anything is asked
                assertProblem(post(base + "resync", ADMIN, "{\"reason\": "), 400);
                assertProblem(post(base + "resync", ADMIN, "{\"reason\": \"" + "x".repeat(20_000) + "\"}"), 413);
                // an admin token may: 202, and where to follow it
                HttpResponse<String> asked = post(base + "resync", ADMIN, "{\"reason\": \"after the maintenance\"}");
                assertEquals(202, asked.statusCode(), asked.body());
                JSONObject resync = new JSONObject(asked.body());
                long id = resync.getLong("id");
                assertEquals("REST API token 'ops': after the maintenance", resync.getString("requester"));
                assertTrue(asked.headers().firstValue("Location").orElse("").endsWith("/api/v1/resyncs/" + id),
                        asked.headers().toString());
                // until done, having written nothing (the table was in sync)
                Wait.until("the resync done", WAIT, () -> new JSONObject(get(base + "resyncs/" + id, READER).body())
                        .getString("state").equals("done"));
                JSONObject done = new JSONObject(get(base + "resyncs/" + id, READER).body());
                assertEquals(0, done.getLong("changesSet"));
                assertEquals(0, done.getLong("changesDeleted"));
                assertTrue(done.has("started") && done.has("completed"), done.toString());
                // a second one within resyncMinIntervalSeconds is refused, with when to try again
                HttpResponse<String> again = post(base + "resync", ADMIN);
                assertProblem(again, 429);
                assertTrue(Long.parseLong(again.headers().firstValue("Retry-After").orElse("0")) > 3500,
                        again.headers().toString());
                assertProblem(get(base + "resyncs/" + (id + 100), READER), 404);
            }
        }
    }

    @Test
    void anAdminTokenRecordsTheJvmWithTheFlightRecorderAndDownloadsTheFile() throws Exception {
        assumeRealParts();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-restjfr");
                Daemon daemon = startedWithApi(redis, ns)) {
            String base = api(daemon);
            String recording = base + "flight-recording";
            // given: nothing recorded yet
            JSONObject none = new JSONObject(get(recording, READER).body());
            assertEquals("none", none.getString("state"));
            assertEquals(0, none.getLong("id"));
            assertEquals(300, none.getLong("maxSeconds"));
            assertProblem(get(recording + "/file", ADMIN), 404);
            // the file and the start need the admin scope; a bad body is refused before anything starts
            assertProblem(get(recording + "/file", READER), 403);
            assertProblem(post(recording, READER, "{\"seconds\": 1}"), 403);
            assertProblem(post(recording, ADMIN), 400);
            assertProblem(post(recording, ADMIN, "{\"seconds\": 301}"), 400);
            assertProblem(post(recording, ADMIN, "{\"seconds\": \"soon\"}"), 400);
            assertEquals("none", new JSONObject(get(recording, READER).body()).getString("state"));
            // when: an admin records two seconds
            HttpResponse<String> started = post(recording, ADMIN, "{\"seconds\": 2}");
            assertEquals(202, started.statusCode(), started.body());
            JSONObject first = new JSONObject(started.body());
            assertEquals("recording", first.getString("state"));
            assertEquals(1, first.getLong("id"));
            // a second start while it runs is a conflict (unless the first has already ended: then it is the next)
            HttpResponse<String> again = post(recording, ADMIN, "{\"seconds\": 1}");
            long last = 1;
            if (again.statusCode() == 409) {
                assertProblem(again, 409);
            } else {
                assertEquals(202, again.statusCode(), again.body());
                last = new JSONObject(again.body()).getLong("id");
                assertEquals(2, last);
            }
            long id = last;
            // then: once the recorder says it ended, the file is there (the wait ends with that state)
            Wait.until("the recording done", WAIT, () -> {
                JSONObject now = new JSONObject(get(recording, READER).body());
                return now.getLong("id") == id && now.getString("state").equals("done");
            });
            JSONObject done = new JSONObject(get(recording, READER).body());
            assertEquals("/api/v1/flight-recording/file", done.getString("file"));
            HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create(recording + "/file"))
                    .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + ADMIN).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            contract.check("GET", file);
            assertEquals(200, file.statusCode());
            assertEquals(done.getLong("bytes"), file.body().length);
            assertTrue(file.headers().firstValue("Content-Disposition").orElse("")
                    .matches("attachment; filename=\"neighsyncd-\\d{8}T\\d{6}Z\\.jfr\""), file.headers().toString());
            java.nio.file.Path jfr = java.nio.file.Files.createTempFile("neighsyncd", ".jfr");
            try {
                java.nio.file.Files.write(jfr, file.body());
                assertFalse(jdk.jfr.consumer.RecordingFile.readAllEvents(jfr).isEmpty(), "a recording with events");
            } finally {
                java.nio.file.Files.delete(jfr);
            }
            // and: with the profiling bundle stopped, the API says the recorder is missing, and the sync goes on
            Bundle profiling = daemon.bundle("net.neighsyncd.profiling");
            profiling.stop();
            assertProblem(get(recording, READER), 503);
            profiling.start();
            Wait.until("the recorder back", WAIT, () -> get(recording, READER).statusCode() == 200);
            assertEquals("none", new JSONObject(get(recording, READER).body()).getString("state"));
        }
    }

    private HttpResponse<String> post(String url, String token) throws Exception {
        return post(url, token, null);
    }

    /** A POST with {@code json} as its body (none when null). */
    private HttpResponse<String> post(String url, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token);
        if (json == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        contract.check("POST", r);
        return r;
    }

    @Test
    void filtersAndPagesTenThousandNeighborsInAddressOrder() throws Exception {
        assumeRealParts();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-page")) {
            // given 8,000 IPv4 neighbors on Ethernet0 and 2,000 IPv6 ones on Ethernet4
            ns.addVethPair("Ethernet0", "peer0");
            ns.addVethPair("Ethernet4", "peer4");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 8000; i++) {
                lines.add(String.format(Locale.ROOT, "neigh replace 10.1.%d.%d lladdr 02:00:01:00:%02x:%02x dev "
                        + "Ethernet0 nud permanent", i >> 8, i & 0xFF, i >> 8, i & 0xFF));
            }
            for (int i = 0; i < 2000; i++) {
                lines.add(String.format(Locale.ROOT, "neigh replace fc00::%x lladdr 0a:00:02:00:%02x:%02x dev "
                        + "Ethernet4 nud permanent", i + 1, i >> 8, i & 0xFF));
            }
            ns.batch(lines);
            try (Daemon daemon = startedWithApi(redis, ns)) {
                Wait.until("the daemon idle", WAIT, () -> daemon.status(SyncStatus::pendingWrites, -1) == 0);
                String base = api(daemon);
                // when every page of 1000 is read
                List<String> keys = new ArrayList<>();
                String cursor = null;
                int pages = 0;
                do {
                    JSONObject page = new JSONObject(get(base + "neighbors?limit=1000"
                            + (cursor == null ? "" : "&cursor=" + cursor), READER).body());
                    JSONArray items = page.getJSONArray("items");
                    for (int i = 0; i < items.length(); i++) {
                        keys.add(items.getJSONObject(i).getString("key"));
                    }
                    cursor = page.optString("next", null);
                    pages++;
                } while (cursor != null);
                // then every neighbor once, IPv4 ones by address as a number, then the next interface
                assertEquals(10, pages);
                assertEquals(10_000, keys.size());
                assertEquals(10_000, keys.stream().distinct().count());
                assertEquals("Ethernet0:10.1.0.0", keys.get(0));
                assertEquals("Ethernet0:10.1.0.255", keys.get(255));
                assertEquals("Ethernet0:10.1.1.0", keys.get(256));
                assertEquals("Ethernet4:fc00::1", keys.get(8000));
                assertEquals("Ethernet4:fc00::7d0", keys.get(9999));
                // and the filters
                assertEquals(2000, count(base + "neighbors?family=ipv6&limit=1000", 1000));
                assertEquals(256, count(base + "neighbors?interface=Ethernet0&mac=02:00:01:00:1E&limit=1000", 1000));
                assertEquals(0, count(base + "neighbors?interface=Ethernet4&family=IPv4", 100));
                assertEquals(10_000, count(base + "neighbors?vrf=default&state=permanent&limit=1000", 1000));
                assertEquals(0, count(base + "neighbors?state=stale&limit=1000", 1000));
            }
        }
    }

    /** The status of a GET without a token, not checked against openapi.json: for the moments the API comes and goes. */
    private int statusWithoutContract(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** How many neighbors the pages of {@code url} hold, each page at most {@code limit}. */
    private int count(String url, int limit) throws Exception {
        int n = 0;
        String cursor = null;
        do {
            HttpResponse<String> r = get(url + (cursor == null ? "" : "&cursor=" + cursor), READER);
            assertEquals(200, r.statusCode(), r.body());
            JSONObject page = new JSONObject(r.body());
            assertTrue(page.getJSONArray("items").length() <= limit);
            n += page.getJSONArray("items").length();
            cursor = page.optString("next", null);
        } while (cursor != null);
        return n;
    }

    @Test
    void theEventStreamDeliversEveryChangeOnceInRevisionOrderThroughABurstAndResumesWithLastEventId()
            throws Exception {
        assumeRealParts();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-sse");
                KernelAndApplDb tables = new KernelAndApplDb(ns, "Ethernet0", redis)) {
            ns.addVethPair("Ethernet0", "peer0");
            ns.exec("neigh", "replace", "10.2.255.1", "lladdr", "02:00:00:00:ff:01", "dev", "Ethernet0", "nud",
                    "permanent");
            try (Daemon daemon = startedWithApi(redis, ns)) {
                String base = api(daemon);
                // given a client that read the snapshot
                Map<String, String> view = new TreeMap<>();
                String lastId;
                long revision;
                try (SseClient sse = SseClient.open(http, base + "events", READER, null)) {
                    assertEquals(200, sse.status(), sse.errorBody());
                    SseClient.Event snap = sse.next(WAIT);
                    contract.checkEvent(snap.name(), snap.data());
                    assertEquals("snapshot", snap.name());
                    assertTrue(snap.data().getBoolean("last"));
                    apply(view, snap.data().getJSONArray("neighbors"));
                    assertEquals(Map.of("Ethernet0:10.2.255.1", "02:00:00:00:ff:01"), view);
                    revision = snap.data().getLong("revision");
                    lastId = snap.id();
                    // when 10,000 neighbors are added in one ip -batch
                    List<String> lines = new ArrayList<>();
                    for (int i = 0; i < 10_000; i++) {
                        lines.add(String.format(Locale.ROOT, "neigh replace 10.2.%d.%d lladdr 02:00:02:00:%02x:%02x "
                                + "dev Ethernet0 nud permanent", i >> 8, i & 0xFF, i >> 8, i & 0xFF));
                    }
                    ns.batch(lines);
                    // then the client sees each change once, in revision order, until its view has them all
                    int changes = 0;
                    while (view.size() < 10_001) {
                        SseClient.Event e = sse.next(WAIT);
                        contract.checkEvent(e.name(), e.data());
                        assertEquals("change", e.name(), e.data().toString());
                        assertEquals(++revision, e.data().getLong("revision"), "revisions follow each other");
                        changes++;
                        applyChange(view, e.data());
                        lastId = e.id();
                        if (changes == 4000) {
                            break;
                        }
                    }
                }
                // and a client that reconnects with the id of the last event it saw misses nothing
                try (SseClient resumed = SseClient.open(http, base + "events", READER, lastId)) {
                    assertEquals(200, resumed.status(), resumed.errorBody());
                    while (view.size() < 10_001) {
                        SseClient.Event e = resumed.next(WAIT);
                        contract.checkEvent(e.name(), e.data());
                        assertEquals("change", e.name(), "a resumed stream sends no snapshot: " + e.data());
                        assertEquals(++revision, e.data().getLong("revision"));
                        applyChange(view, e.data());
                    }
                    // and its view is what orchagent sees in APPL_DB once the daemon is idle
                    tables.awaitEqual(WAIT);
                    assertEquals(tables.applDb(), view);
                    // and a delete reaches it too
                    ns.exec("neigh", "del", "10.2.255.1", "dev", "Ethernet0");
                    SseClient.Event del = resumed.next(WAIT);
                    contract.checkEvent(del.name(), del.data());
                    assertEquals("delete", del.data().getString("op"));
                    assertEquals(++revision, del.data().getLong("revision"));
                    assertEquals("Ethernet0:10.2.255.1", del.data().getJSONObject("neighbor").getString("key"));
                    assertFalse(del.data().getJSONObject("neighbor").has("mac"));
                }
            }
        }
    }

    @Test
    void aStalledClientIsResetWithANewSnapshotAndTheSyncGoesOnMeanwhile() throws Exception {
        assumeRealParts();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-stall");
                KernelAndApplDb tables = new KernelAndApplDb(ns, "Ethernet0", redis)) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = startedWithApi(redis, ns, "eventLagLimit = 1000")) {
                String base = api(daemon);
                // given a client that read its snapshot, then stops reading
                try (StallingSseClient client = new StallingSseClient(daemon.httpPort(), "/api/v1/events", READER)) {
                    assertTrue(client.statusLine().contains(" 200"), client.statusLine());
                    assertEquals("snapshot", client.next().name());
                    // when 10,000 neighbors change their MAC four times (far more than the sockets hold)
                    for (int round = 0; round < 4; round++) {
                        List<String> lines = new ArrayList<>();
                        for (int i = 0; i < 10_000; i++) {
                            lines.add(String.format(Locale.ROOT, "neigh replace 10.4.%d.%d lladdr 02:%02x:04:00:%02x:%02x "
                                    + "dev Ethernet0 nud permanent", i >> 8, i & 0xFF, round, i >> 8, i & 0xFF));
                        }
                        ns.batch(lines);
                    }
                    // then the sync is not slowed by the stalled client: APPL_DB reaches the kernel meanwhile
                    tables.awaitEqual(WAIT);
                    // and once the client reads again, it was told to start again (the stream fell further
                    // behind than eventLagLimit), got a new snapshot each time, and ends with the table as it is
                    Map<String, String> expected = tables.applDb();
                    Map<String, String> view = new TreeMap<>();
                    long revision = -1;
                    int resets = 0;
                    int events = 0;
                    while (resets == 0 || !view.equals(expected)) {
                        SseClient.Event e = client.next();
                        contract.checkEvent(e.name(), e.data());
                        events++;
                        if (e.name().equals("reset")) {
                            assertEquals("lag", e.data().getString("reason"));
                            resets++;
                            view.clear();
                            do {
                                e = client.next();
                                contract.checkEvent(e.name(), e.data());
                                assertEquals("snapshot", e.name());
                                apply(view, e.data().getJSONArray("neighbors"));
                            } while (!e.data().getBoolean("last"));
                            revision = e.data().getLong("revision");
                        } else {
                            assertEquals("change", e.name());
                            long r = e.data().getLong("revision");
                            assertTrue(revision < 0 || r == revision + 1, "revision " + r + " after " + revision);
                            revision = r;
                            applyChange(view, e.data());
                        }
                    }
                    assertTrue(events < 40_000, events + " events: fewer than the changes, thanks to the resets");
                }
            }
        }
    }

    private static void apply(Map<String, String> view, JSONArray neighbors) {
        for (int i = 0; i < neighbors.length(); i++) {
            JSONObject n = neighbors.getJSONObject(i);
            view.put(n.getString("key"), n.getString("mac"));
        }
    }

    private static void applyChange(Map<String, String> view, JSONObject change) {
        JSONObject n = change.getJSONObject("neighbor");
        if (change.getString("op").equals("set")) {
            view.put(n.getString("key"), n.getString("mac"));
        } else {
            view.remove(n.getString("key"));
        }
    }

    @Test
    void aFilteredStreamDeletesAKeyThatNoLongerMatchesItsFilter() throws Exception {
        assumeRealParts();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-filter")) {
            ns.addVethPair("Ethernet0", "peer0");
            ns.addVethPair("Ethernet4", "peer4");
            try (Daemon daemon = startedWithApi(redis, ns)) {
                String base = api(daemon);
                // given a stream of the neighbors of Ethernet0 whose MAC starts with 02:00:0a
                try (SseClient sse = SseClient.open(http, base + "events?interface=Ethernet0&mac=02:00:0A", READER,
                        null)) {
                    assertEquals(200, sse.status(), sse.errorBody());
                    SseClient.Event snap = sse.next(WAIT);
                    contract.checkEvent(snap.name(), snap.data());
                    assertEquals(0, snap.data().getJSONArray("neighbors").length());
                    // when a neighbor of Ethernet4 comes, one of Ethernet0 comes, then changes its MAC
                    ns.exec("neigh", "replace", "10.6.0.4", "lladdr", "02:00:0a:00:00:04", "dev", "Ethernet4", "nud",
                            "permanent");
                    ns.exec("neigh", "replace", "10.6.0.1", "lladdr", "02:00:0a:00:00:01", "dev", "Ethernet0", "nud",
                            "permanent");
                    SseClient.Event set = sse.next(WAIT);
                    ns.exec("neigh", "replace", "10.6.0.1", "lladdr", "04:00:00:00:00:01", "dev", "Ethernet0", "nud",
                            "permanent");
                    SseClient.Event gone = sse.next(WAIT);
                    // then it saw the set (not Ethernet4's), then the key leave its view as a delete
                    contract.checkEvent(set.name(), set.data());
                    contract.checkEvent(gone.name(), gone.data());
                    assertEquals("set", set.data().getString("op"));
                    assertEquals("Ethernet0:10.6.0.1", set.data().getJSONObject("neighbor").getString("key"));
                    assertEquals("delete", gone.data().getString("op"));
                    assertEquals("Ethernet0:10.6.0.1", gone.data().getJSONObject("neighbor").getString("key"));
                }
            }
        }
    }

    @Test
    void hostileRequestsGetProblemDocumentsAndTheSyncGoesOn() throws Exception {
        assumeRealParts();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-hostile");
                KernelAndApplDb tables = new KernelAndApplDb(ns, "Ethernet0", redis)) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = startedWithApi(redis, ns)) {
                String base = api(daemon);
                // when
                Map<String, Integer> answers = new HashMap<>();
                for (String path : HOSTILE) {
                    HttpResponse<String> r = get(base + path, READER);
                    answers.put(path, r.statusCode());
                    assertTrue(!servedByJetty(r) || path.contains("%2F") || path.contains("%00"),
                            path + " answered by Jetty, not the API");
                    assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, path + " -> " + r.statusCode() + " "
                            + r.body());
                    assertFalse(r.body().contains("Exception") || r.body().contains("at net."), r.body());
                }
                assertEquals(414, answers.get("neighbors?mac=" + "a".repeat(3000)));
                assertEquals(404, answers.get("neighbors?namespace=nope"));
                assertEquals(400, answers.get("neighbors?family=IPv5"));
                assertEquals(400, answers.get("neighbors?cursor=!!notacursor"));
                // a bad Last-Event-ID
                try (SseClient bad = SseClient.open(http, base + "events", READER, "nothing-of-ours")) {
                    assertEquals(400, bad.status());
                    assertTrue(bad.errorBody().contains("Last-Event-ID"), bad.errorBody());
                }
                // then the daemon still syncs
                ns.exec("neigh", "replace", "10.0.0.7", "lladdr", "02:00:00:00:00:07", "dev", "Ethernet0", "nud",
                        "permanent");
                tables.awaitEqual(WAIT);
                assertEquals("02:00:00:00:00:07", tables.applDb().get("Ethernet0:10.0.0.7"));
                assertTrue(daemon.problems().isEmpty(), daemon.problems().toString());
            }
        }
    }

    @Test
    void hostileRequestsLogNothingAtError() throws Exception {
        assumeRealParts();
        java.nio.file.Path work = java.nio.file.Files.createTempDirectory("neighsyncd-hostile-log");
        java.nio.file.Path log = work.resolve("daemon.log");
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-errlog")) {
            ns.addVethPair("Ethernet0", "peer0");
            java.nio.file.Path etc = DaemonProcess.configDir(work, tokens());
            try (DaemonProcess daemon = DaemonProcess.start(log, "--redis-url", redis.unixUrl(0), "--netns",
                    ns.name(), "--config-dir", etc.toString(), "--run-dir", work.resolve("run").toString())) {
                // given the daemon as a process of its own, its whole log in a file
                Wait.until("the initial sync and the banner", WAIT,
                        () -> daemon.count("initial sync written to APPL_DB") > 0 && daemon.count("Web Console at") > 0);
                java.util.regex.Matcher port = java.util.regex.Pattern.compile("Web Console at http://127\\.0\\.0\\.1:(\\d+)/")
                        .matcher(daemon.log());
                assertTrue(port.find(), daemon.log());
                String base = "http://127.0.0.1:" + port.group(1) + "/api/v1/";
                Wait.until("the API up", WAIT, () -> statusWithoutContract(base + "health") == 200);
                // when every hostile request is made, with and without a token
                for (String path : HOSTILE) {
                    int withToken = get(base + path, READER).statusCode();
                    int without = get(base + path, null).statusCode();
                    assertTrue(withToken >= 400 && withToken < 500 && without >= 400 && without < 500,
                            path + " -> " + withToken + ", " + without);
                }
                // then, once a good request has been answered after them, nothing was logged at ERROR
                assertEquals(200, get(base + "status", READER).statusCode());
                assertEquals(0, daemon.count(" ERROR "), daemon.log());
            }
        }
    }

    @Test
    void noResourceAnswersWhileTheTokenFilterIsAway() throws Exception {
        assumeRealParts();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-nofilter")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = startedWithApi(redis, ns)) {
                String base = api(daemon);
                // when the bearer-token filter's component is disabled (as while the bundle starts or stops)
                setComponentEnabled(daemon, "net.neighsyncd.rest.internal.BearerAuthentication", false);
                // then no resource answers at all, rather than without a token
                Wait.until("the application gone", WAIT, () -> statusWithoutContract(base + "health") == 404);
                for (String path : List.of("status", "config", "neighbors", "openapi.json", "alerts")) {
                    assertEquals(404, statusWithoutContract(base + path), path);
                }
                // and once it is back, a token is asked for again
                setComponentEnabled(daemon, "net.neighsyncd.rest.internal.BearerAuthentication", true);
                Wait.until("the API back", WAIT, () -> statusWithoutContract(base + "health") == 200);
                assertProblem(get(base + "config", null), 401);
            }
        }
    }

    /**
     * Enables or disables a component of the rest bundle through SCR's runtime service, called
     * reflectively: its API lives in the framework, not on the test's class path.
     */
    private static void setComponentEnabled(Daemon daemon, String name, boolean enabled) throws Exception {
        org.osgi.framework.BundleContext ctx = daemon.context();
        org.osgi.framework.ServiceReference<?> ref = ctx.getServiceReference(
                "org.osgi.service.component.runtime.ServiceComponentRuntime");
        Object scr = ctx.getService(ref);
        try {
            Bundle rest = daemon.bundle("net.neighsyncd.rest");
            java.lang.reflect.Method describe = null;
            for (java.lang.reflect.Method m : scr.getClass().getMethods()) {
                if (m.getName().equals("getComponentDescriptionDTO")) {
                    describe = m;
                }
            }
            Object dto = describe.invoke(scr, rest, name);
            assertNotNull(dto, name);
            for (java.lang.reflect.Method m : scr.getClass().getMethods()) {
                if (m.getName().equals(enabled ? "enableComponent" : "disableComponent")) {
                    Object promise = m.invoke(scr, dto);
                    publicInterface(promise.getClass(), "org.osgi.util.promise.Promise").getMethod("getValue")
                            .invoke(promise);
                }
            }
        } finally {
            ctx.ungetService(ref);
        }
    }

    /** The interface {@code name} that {@code type} or a superclass implements. */
    private static Class<?> publicInterface(Class<?> type, String name) {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            for (Class<?> i : t.getInterfaces()) {
                if (i.getName().equals(name)) {
                    return i;
                }
            }
        }
        throw new AssertionError(type + " is no " + name);
    }

    @Test
    void theRestBundleStopsAndStartsWhileABurstSyncs() throws Exception {
        assumeRealParts();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-restcycle");
                KernelAndApplDb tables = new KernelAndApplDb(ns, "Ethernet0", redis)) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = startedWithApi(redis, ns)) {
                String base = api(daemon);
                Bundle rest = daemon.bundle("net.neighsyncd.rest");
                assertNotNull(rest);
                // when a burst syncs while the bundle stops and starts
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    lines.add(String.format(Locale.ROOT, "neigh replace 10.3.%d.%d lladdr 02:00:03:00:%02x:%02x "
                            + "dev Ethernet0 nud permanent", i >> 8, i & 0xFF, i >> 8, i & 0xFF));
                }
                Thread burst = new Thread(() -> ns.batch(lines));
                burst.start();
                rest.stop();
                // (while the whiteboard takes the application down, a request may meet Jersey's own 500 page)
                Wait.until("the API gone", WAIT, () -> statusWithoutContract(base + "health") == 404);
                rest.start();
                burst.join();
                // then the API answers again, and APPL_DB has the whole burst
                Wait.until("the API back", WAIT, () -> statusWithoutContract(base + "health") == 200);
                assertEquals(200, get(base + "health", null).statusCode());
                tables.awaitEqual(WAIT);
                assertEquals(10_000, tables.applDb().size());
                JSONObject status = new JSONObject(get(base + "status", READER).body());
                assertEquals(0, status.getJSONObject("appDb").getLong("errors"));
                assertNull(daemon.problems().stream().findFirst().orElse(null));
            }
        }
    }
}
