package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The Python client of {@code clients/python} (Debian's python3-grpcio, stubs generated from the
 * proto) against the running distribution: what a user who copies it gets.
 */
class GrpcPythonClientTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path CLIENT = Path.of("../clients/python/neighsyncd_client.py").toAbsolutePath().normalize();
    private static final String ADMIN = "nsd_admin-token-for-the-python-client-tests-00000";

    /** What the client needs: Debian's python3, grpcio, protobuf, protoc and the gRPC Python plugin. */
    private static String missing() {
        if (!Files.isExecutable(PYTHON) || !Files.isExecutable(Path.of("/usr/bin/protoc"))
                || !Files.isExecutable(Path.of("/usr/bin/grpc_python_plugin"))) {
            return "needs /usr/bin/python3, /usr/bin/protoc and /usr/bin/grpc_python_plugin (Debian's python3, "
                    + "protobuf-compiler, protobuf-compiler-grpc); scripts/test installs them as root";
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import grpc, google.protobuf").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null
                    : "needs Debian's python3-grpcio and python3-protobuf; scripts/test installs them as root";
        } catch (IOException | InterruptedException e) {
            return "cannot run " + PYTHON + ": " + e;
        }
    }

    private static Daemon started(RedisServer redis, Netns ns, int port) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                ADMIN.getBytes(StandardCharsets.UTF_8)));
        Daemon daemon = Daemon.start(Map.of("net.neighsyncd.access", List.of("tokens = ops:admin:" + hash),
                "net.neighsyncd.grpc", List.of("port = " + port)), "--redis-url", redis.unixUrl(0), "--netns",
                ns.name());
        daemon.awaitInitialSync(Duration.ofSeconds(60));
        return daemon;
    }

    /** A run of the client: its exit status and stdout lines, stderr text. */
    private record Run(int exit, List<String> lines, String err) {
        JSONObject json(int i) {
            return new JSONObject(lines.get(i));
        }
    }

    private static Process start(int port, String token, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), CLIENT.toString(), "--target",
                "127.0.0.1:" + port));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("NEIGHSYNCD_TOKEN", token == null ? "" : token);
        return pb.start();
    }

    private static Run run(int port, String token, String... args) throws Exception {
        Process p = start(port, token, args);
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the client never ended: " + String.join(" ", args));
        return new Run(p.exitValue(), lines, new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theClientCallsEveryMethodHealthAndReflection() throws Exception {
        String missing = missing();
        assumeTrue(missing == null, missing);
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        int port = WebConsoleTest.freePort();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-pyclient")) {
            ns.addVethPair("Ethernet0", "peer0");
            ns.exec("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "Ethernet0", "nud",
                    "permanent");
            try (Daemon daemon = started(redis, ns, port)) {
                Wait.until("the gRPC API serving", Duration.ofSeconds(60), () -> {
                    Run h = run(port, null, "--timeout", "5", "health", "--service", "neighsyncd.v1.Neighsyncd");
                    return h.exit() == 0 && h.json(0).getString("status").equals("SERVING");
                });
                Run list = run(port, ADMIN, "list", "--family", "IPV4");
                assertEquals(0, list.exit(), list.err());
                JSONArray neighbors = list.json(0).getJSONArray("neighbors");
                assertEquals("Ethernet0:10.0.0.2", neighbors.getJSONObject(0).getString("key"));
                Run get = run(port, ADMIN, "get", "Ethernet0", "10.0.0.2");
                assertEquals("SYNCED", get.json(0).getJSONObject("verdict").getString("disposition"), get.err());
                Run status = run(port, ADMIN, "status");
                assertEquals("in_sync", status.json(0).getString("phase"), status.err());
                Run resync = run(port, ADMIN, "resync", "--reason", "python", "--wait");
                assertEquals(0, resync.exit(), resync.err());
                assertEquals("DONE", resync.json(resync.lines().size() - 1).getString("state"));
                Run reflect = run(port, ADMIN, "reflect");
                assertTrue(reflect.json(0).getJSONArray("services").toList().contains("neighsyncd.v1.Neighsyncd"),
                        reflect.lines().toString());
                assertTrue(reflect.json(0).getJSONArray("methods").toList().contains("WatchNeighbors"));
                Run anonymous = run(port, null, "list");
                assertEquals(1, anonymous.exit());
                assertTrue(anonymous.err().startsWith("UNAUTHENTICATED: "), anonymous.err());
                Run bad = run(port, ADMIN, "get", "Ethernet0", "10.0.0.999");
                assertTrue(bad.err().startsWith("INVALID_ARGUMENT: ip"), bad.err());
            }
        }
    }

    @Test
    void theClientWatchesEveryChangeOfABurstOnceInRevisionOrder() throws Exception {
        String missing = missing();
        assumeTrue(missing == null, missing);
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        int port = WebConsoleTest.freePort();
        int burst = 2000;
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-pywatch")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = started(redis, ns, port)) {
                Wait.until("the gRPC API serving", Duration.ofSeconds(60),
                        () -> run(port, null, "--timeout", "5", "health").exit() == 0);
                // given: a watch of every change, which ends after the burst's
                Process watch = start(port, ADMIN, "--timeout", "300", "watch", "--changes", Integer.toString(burst));
                BufferedReader out = new BufferedReader(new InputStreamReader(watch.getInputStream(),
                        StandardCharsets.UTF_8));
                JSONObject snapshot = new JSONObject(out.readLine());
                assertTrue(snapshot.getJSONObject("snapshot").getBoolean("last"), snapshot.toString());
                long revision = Long.parseLong(snapshot.getJSONObject("snapshot").getJSONObject("position")
                        .optString("revision", "0"));
                // when: the kernel gets 2,000 neighbors in one ip -batch
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    lines.add(String.format(Locale.ROOT, "neigh replace 10.7.%d.%d lladdr 02:00:07:00:%02x:%02x dev "
                            + "Ethernet0 nud permanent", i >> 8, i & 0xFF, i >> 8, i & 0xFF));
                }
                ns.batch(lines);
                // then: every change once, each the next revision, and the view the list gives at the end
                Map<String, String> view = new TreeMap<>();
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    JSONObject change = new JSONObject(line).getJSONObject("change");
                    long r = Long.parseLong(change.getString("revision"));
                    assertEquals(revision + 1, r, line);
                    revision = r;
                    JSONObject n = change.getJSONObject("neighbor");
                    assertEquals("SET", change.getString("op"), line);
                    assertTrue(view.put(n.getString("key"), n.getString("mac")) == null, "twice: " + line);
                }
                assertTrue(watch.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, watch.exitValue(), new String(watch.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                assertEquals(burst, view.size());
                Map<String, String> listed = new TreeMap<>();
                Run all = run(port, ADMIN, "list", "--all", "--page-size", "1000");
                for (int i = 0; i < all.lines().size(); i++) {
                    JSONArray page = all.json(i).optJSONArray("neighbors");
                    for (int j = 0; page != null && j < page.length(); j++) {
                        listed.put(page.getJSONObject(j).getString("key"), page.getJSONObject(j).getString("mac"));
                    }
                }
                assertEquals(listed, view);
            }
        }
    }
}
