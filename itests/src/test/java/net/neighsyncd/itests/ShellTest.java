package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * The Gogo commands {@code neighsyncd:*} run from the Web Console's shell page, behind its login,
 * against the distribution's runtime with a real Redis and namespace.
 */
class ShellTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");
    private static final Pattern OUTPUT = Pattern.compile("<pre id=\"neighsyncd-shell-output\">(.*?)</pre>",
            Pattern.DOTALL);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void runsTheNeighsyncdCommandsBehindTheConsoleLogin() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-shell")) {
            ns.addVethPair("Ethernet0", "peer0");
            ns.exec("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "Ethernet0", "nud",
                    "permanent");
            ns.exec("neigh", "replace", "fe80::2", "lladdr", "02:00:00:00:00:03", "dev", "Ethernet0", "nud",
                    "permanent");
            try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                daemon.awaitInitialSync(WAIT);
                String page = "http://127.0.0.1:" + daemon.httpPort() + "/system/console/shell";
                String password = Files.readString(daemon.runDir().resolve("webconsole.password")).strip();
                // without the login: nothing
                assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(page)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
                Wait.until("the shell page", WAIT, () -> get(page, password).statusCode() == 200);
                String token = token(get(page, password).body());
                // a POST without the page's token is refused
                assertEquals(403, post(page, password, "wrong", "neighsyncd:status").statusCode());
                // then the commands answer
                String status = run(page, password, token, "neighsyncd:status");
                assertTrue(status.contains("phase            in_sync"), status);
                String neighbors = run(page, password, token, "neighsyncd:neighbors Ethernet0");
                assertTrue(neighbors.contains("Ethernet0:10.0.0.2") && neighbors.contains("02:00:00:00:00:02"),
                        neighbors);
                assertTrue(neighbors.contains("1 neighbors at revision"), neighbors);
                String explained = run(page, password, token, "neighsyncd:explain Ethernet0 fe80::2");
                assertTrue(explained.contains("verdict ignored (ipv6_link_local)"), explained);
                String resync = run(page, password, token, "neighsyncd:resync");
                assertTrue(Pattern.compile("(?m)^resync \\d+: (waiting|running|done)$").matcher(resync).find(), resync);
                String bad = run(page, password, token, "neighsyncd:explain Ethernet0 10.0.0.300");
                assertTrue(bad.contains("not an IPv4 or IPv6 address"), bad);
            }
        }
    }

    private String run(String page, String password, String token, String command) throws Exception {
        HttpResponse<String> r = post(page, password, token, command);
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = OUTPUT.matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static String token(String body) {
        Matcher m = TOKEN.matcher(body);
        assertTrue(m.find(), body);
        return m.group(1);
    }

    private HttpResponse<String> get(String url, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", basic(password)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String password, String token, String command) throws Exception {
        String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&command="
                + URLEncoder.encode(command, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", basic(password))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }
}
