package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

/**
 * The Web Console in the distribution's runtime: no login without the generated password (and
 * never admin/admin), reachable on loopback only, the neighsyncd page with a real namespace's
 * neighbors, and Configuration Manager saves written into their etc/ files.
 */
class WebConsoleTest {
    private static final String CONSOLE = "/system/console";
    private static final String REDIS_PID = "net.neighsyncd.redis";
    private static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A port nobody listens on right now, from a {@code ServerSocket(0)} on loopback. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void onlyTheGeneratedPasswordLogsInNeverAdminAdmin() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        int port = freePort();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-wc");
                Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name(),
                        "--http-port", Integer.toString(port))) {
            // given: the password the launcher generated at this first start
            Path file = daemon.runDir().resolve("webconsole.password");
            assertTrue(Files.isRegularFile(file), daemon.banner());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String password = Files.readString(file).strip();
            assertTrue(password.length() >= 20, "a generated password of 20+ characters");
            assertTrue(daemon.banner().contains("generated a Web Console password for user admin into " + file),
                    daemon.banner());
            assertTrue(daemon.banner().contains("Web Console at http://127.0.0.1:" + port + CONSOLE), daemon.banner());
            // and: the clear text is nowhere in the framework properties, only its hash
            String hash = daemon.context().getProperty("felix.webconsole.password");
            assertTrue(hash.startsWith("{sha-256}"), hash);
            assertFalse(hash.contains(password));
            assertEquals(hash, daemon.context().getProperty("neighsyncd.webconsole.password"));
            URI bundles = URI.create("http://127.0.0.1:" + port + CONSOLE + "/bundles");

            // then
            assertEquals(200, awaitAnswer(get(bundles, "admin", password)).statusCode());
            assertEquals(401, send(get(bundles, null, null)).statusCode());
            assertEquals(401, send(get(bundles, "admin", "admin")).statusCode());
            assertEquals(401, send(get(bundles, "admin", password + "x")).statusCode());
            assertEquals(401, send(get(URI.create("http://127.0.0.1:" + port + CONSOLE + "/neighsyncd"), "admin",
                    "admin")).statusCode());
            Wait.until("every bundle active", Duration.ofSeconds(10), () -> daemon.inactiveBundles().isEmpty());
        }
    }

    @Test
    void anOperatorHashInTheEtcFileWinsAndNothingIsGenerated() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        String own = hashOf("operator's own");
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-wc");
                Daemon daemon = Daemon.start(Map.of(CONSOLE_PID, List.of("password = " + own)), "--redis-url",
                        redis.unixUrl(0), "--netns", ns.name())) {
            URI bundles = URI.create("http://127.0.0.1:" + daemon.httpPort() + CONSOLE + "/bundles");
            assertEquals(200, awaitAnswer(get(bundles, "admin", "operator's own")).statusCode());
            assertEquals(401, send(get(bundles, "admin", "admin")).statusCode());
            assertFalse(Files.exists(daemon.runDir().resolve("webconsole.password")), daemon.banner());
            assertTrue(daemon.banner().contains("password set in " + daemon.configDir().resolve(CONSOLE_PID + ".cfg")),
                    daemon.banner());
        }
    }

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-wc");
                Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
            int port = daemon.httpPort();
            String password = Files.readString(daemon.runDir().resolve("webconsole.password")).strip();
            awaitAnswer(get(URI.create("http://127.0.0.1:" + port + CONSOLE + "/bundles"), "admin", password));

            // then: Felix HTTP reports one endpoint, on 127.0.0.1
            assertEquals(List.of("http://127.0.0.1:" + port + "/"), endpoints(daemon));
            // and: the port is closed on this machine's other address
            Optional<InetAddress> other = nonLoopbackIpv4();
            if (other.isPresent()) {
                try (Socket s = new Socket()) {
                    assertThrows(ConnectException.class,
                            () -> s.connect(new InetSocketAddress(other.get(), port), 2_000),
                            "port " + port + " answers on " + other.get());
                }
            } else {
                System.out.println("WebConsoleTest: this host has no non-loopback IPv4 address; "
                        + "checked the bound endpoint only");
            }
        }
    }

    @Test
    void theNeighsyncdPageShowsANamespaceNeighborAndTheSearchNarrowsIt() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-wc")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                String password = Files.readString(daemon.runDir().resolve("webconsole.password")).strip();
                String page = "http://127.0.0.1:" + daemon.httpPort() + CONSOLE + "/neighsyncd";
                // when
                ns.exec("neigh", "replace", "10.11.0.1", "lladdr", "02:00:00:00:11:01", "dev", "Ethernet0", "nud",
                        "permanent");
                ns.exec("neigh", "replace", "10.11.0.2", "lladdr", "02:00:00:00:11:02", "dev", "Ethernet0", "nud",
                        "permanent");
                // then: both in the table, with the status above it
                awaitAnswer(get(URI.create(page), "admin", password));
                Wait.until("both neighbors on the page", Duration.ofSeconds(10), () -> {
                    String html = send(get(URI.create(page), "admin", password)).body();
                    return html.contains(">Ethernet0:10.11.0.1</a></td>") && html.contains(">Ethernet0:10.11.0.2</a></td>");
                });
                String all = send(get(URI.create(page), "admin", password)).body();
                assertTrue(all.contains("Sync engine: in sync"), all);
                assertTrue(all.contains("<tr><td>Initial sync done</td><td>yes</td></tr>"), all);
                assertTrue(all.contains("<td>02:00:00:00:11:02</td>"), all);
                assertTrue(all.contains("Written to APPL_DB</th></tr>\n<tr><td>sets</td>"), all);
                // and: a key's link explains it
                String explained = send(get(URI.create(page + "?explain=" + enc("Ethernet0:10.11.0.2")), "admin",
                        password)).body();
                assertTrue(explained.contains("<td>Verdict</td><td>synced: 02:00:00:00:11:02</td>"), explained);
                assertTrue(all.contains("2 entries in APPL_DB NEIGH_TABLE."), all);

                // and: a search by address, then by MAC, narrows it to one
                String byIp = send(get(URI.create(page + "?q=" + enc("10.11.0.2")), "admin", password)).body();
                assertTrue(byIp.contains(">Ethernet0:10.11.0.2</a></td>"), byIp);
                assertFalse(byIp.contains("Ethernet0:10.11.0.1"), byIp);
                assertTrue(byIp.contains("1 entry matching."), byIp);
                String byMac = send(get(URI.create(page + "?q=" + enc("00:11:01")), "admin", password)).body();
                assertTrue(byMac.contains(">Ethernet0:10.11.0.1</a></td>"), byMac);
                assertFalse(byMac.contains("Ethernet0:10.11.0.2"), byMac);
                // and: what is typed comes back escaped
                String odd = send(get(URI.create(page + "?q=" + enc("<b>x\"")), "admin", password)).body();
                assertTrue(odd.contains("value=\"&lt;b&gt;x&quot;\""), odd);
                assertTrue(odd.contains("0 entries matching."), odd);
            }
        }
    }

    @Test
    void theNeighsyncdPagesTableFollowsEveryChangeAfterTheRevisionItWasReadAt() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-wclive")) {
            ns.addVethPair("Ethernet0", "peer0");
            ns.exec("neigh", "replace", "10.12.0.1", "lladdr", "02:00:00:00:12:01", "dev", "Ethernet0", "nud",
                    "permanent");
            try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                String password = Files.readString(daemon.runDir().resolve("webconsole.password")).strip();
                String page = "http://127.0.0.1:" + daemon.httpPort() + CONSOLE + "/neighsyncd";
                awaitAnswer(get(URI.create(page), "admin", password));
                Wait.until("the neighbor on the page", Duration.ofSeconds(10), () -> send(get(URI.create(page), "admin",
                        password)).body().contains("data-key=\"Ethernet0:10.12.0.1\""));
                // given: the table as read, with the revision it was read at
                String html = send(get(URI.create(page), "admin", password)).body();
                Matcher table = Pattern.compile("id=\"neighsyncd-neighbors\" data-history=\"([^\"]+)\" data-revision=\"(\\d+)\""
                        + ".*?data-changes=\"([^\"]+)\"").matcher(html);
                assertTrue(table.find(), html);
                String history = table.group(1);
                long revision = Long.parseLong(table.group(2));
                String changes = "http://127.0.0.1:" + daemon.httpPort() + table.group(3).replace("&amp;", "&");
                assertTrue(html.contains("<script>"), "the page carries the script that follows the changes");
                // when: the kernel adds one neighbor and moves another
                ns.exec("neigh", "replace", "10.12.0.2", "lladdr", "02:00:00:00:12:02", "dev", "Ethernet0", "nud",
                        "permanent");
                ns.exec("neigh", "replace", "10.12.0.1", "lladdr", "02:00:00:00:12:11", "dev", "Ethernet0", "nud",
                        "permanent");
                // then: the polls from that revision give both sets, in order (each poll ends with the next changes)
                Map<String, String> view = new TreeMap<>(Map.of("Ethernet0:10.12.0.1", "02:00:00:00:12:01"));
                revision = follow(changes, history, revision, password, view,
                        v -> "02:00:00:00:12:11".equals(v.get("Ethernet0:10.12.0.1")) && v.containsKey("Ethernet0:10.12.0.2"));
                // when: the kernel deletes one
                ns.exec("neigh", "del", "10.12.0.2", "dev", "Ethernet0");
                // then: a delete of its key
                follow(changes, history, revision, password, view, v -> !v.containsKey("Ethernet0:10.12.0.2"));
                assertEquals(Map.of("Ethernet0:10.12.0.1", "02:00:00:00:12:11"), view);
                // and: a position of another history is answered with a reset; without the password, nothing
                JSONObject reset = new JSONObject(send(get(URI.create(changes + "&history=other&after=1"), "admin",
                        password)).body());
                assertEquals("other_history", reset.getString("reset"));
                assertEquals(history, reset.getString("history"));
                assertEquals(400, send(get(URI.create(changes + "&history=" + history + "&after=x"), "admin", password))
                        .statusCode());
                assertEquals(401, send(HttpRequest.newBuilder(URI.create(changes + "&history=" + history + "&after=0"))
                        .timeout(Duration.ofSeconds(10)).GET().build()).statusCode());
            }
        }
    }

    @Test
    void aBrowserOnTheNeighsyncdPageSeesEveryKernelChangeInOrderWithoutReloading() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        assumeTrue(HeadlessBrowser.available(), HeadlessBrowser::whyUnavailable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-wcbrowser")) {
            ns.addVethPair("Ethernet0", "peer0");
            ns.exec("neigh", "replace", "10.13.0.1", "lladdr", "02:00:00:00:13:01", "dev", "Ethernet0", "nud",
                    "permanent");
            try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                String password = Files.readString(daemon.runDir().resolve("webconsole.password")).strip();
                String page = "http://127.0.0.1:" + daemon.httpPort() + CONSOLE + "/neighsyncd";
                awaitAnswer(get(URI.create(page), "admin", password));
                Wait.until("the neighbor on the page", Duration.ofSeconds(10), () -> send(get(URI.create(page), "admin",
                        password)).body().contains("data-key=\"Ethernet0:10.13.0.1\""));
                try (HeadlessBrowser browser = HeadlessBrowser.start(Map.of("Authorization", basic("admin", password)))) {
                    // given: the page open, marked so that a reload would show
                    browser.open(page);
                    assertEquals(List.of("Ethernet0:10.13.0.1|Ethernet0|10.13.0.1|02:00:00:00:13:01|IPv4|default"),
                            rows(browser));
                    browser.run("window.neighsyncdNotReloaded = true; return null;");
                    // when: the kernel adds three neighbors out of order and moves the first
                    for (String n : List.of("10", "9", "2")) {
                        ns.exec("neigh", "replace", "10.13.0." + n, "lladdr", "02:00:00:00:13:" + String.format("%02x",
                                Integer.parseInt(n)), "dev", "Ethernet0", "nud", "permanent");
                    }
                    ns.exec("neigh", "replace", "10.13.0.1", "lladdr", "02:00:00:00:13:11", "dev", "Ethernet0", "nud",
                            "permanent");
                    // then: the table shows them in the order an operator reads, the first with its new MAC
                    List<String> expected = List.of(
                            "Ethernet0:10.13.0.1|Ethernet0|10.13.0.1|02:00:00:00:13:11|IPv4|default",
                            "Ethernet0:10.13.0.2|Ethernet0|10.13.0.2|02:00:00:00:13:02|IPv4|default",
                            "Ethernet0:10.13.0.9|Ethernet0|10.13.0.9|02:00:00:00:13:09|IPv4|default",
                            "Ethernet0:10.13.0.10|Ethernet0|10.13.0.10|02:00:00:00:13:0a|IPv4|default");
                    try {
                        Wait.until("the changes in the browser's table", Duration.ofSeconds(60),
                                () -> rows(browser).equals(expected));
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + "; the table shows " + rows(browser) + ", the page says '"
                                + browser.run("return document.getElementById('neighsyncd-live').textContent;") + "'", e);
                    }
                    // when: the kernel deletes one
                    ns.exec("neigh", "del", "10.13.0.9", "dev", "Ethernet0");
                    // then: its row goes, the count follows, and the page was never reloaded
                    Wait.until("the delete in the browser's table", Duration.ofSeconds(60),
                            () -> rows(browser).size() == 3);
                    assertEquals(List.of(expected.get(0), expected.get(1), expected.get(3)), rows(browser));
                    assertEquals("3 entries in APPL_DB NEIGH_TABLE.",
                            browser.run("return document.getElementById('neighsyncd-count').textContent;"));
                    assertEquals(Boolean.TRUE, browser.run("return window.neighsyncdNotReloaded === true;"));
                    assertTrue(String.valueOf(browser.run("return document.getElementById('neighsyncd-live').textContent;"))
                            .startsWith("Live: up to date with revision "));
                    // and: a link of a row the script added explains that key
                    assertEquals("?explain=Ethernet0%3A10.13.0.2", browser.run("return document.querySelector("
                            + "'tr[data-key=\"Ethernet0:10.13.0.2\"] a').getAttribute('href');"));
                    // and: the live table equals the table a fresh read of the page gives
                    browser.open(page);
                    assertEquals(List.of(expected.get(0), expected.get(1), expected.get(3)), rows(browser));
                }
            }
        }
    }

    /** The neighbor table's rows as the browser shows them, cells joined by '|'. */
    private static List<String> rows(HeadlessBrowser browser) throws Exception {
        JSONArray rows = (JSONArray) browser.run("return Array.from(document.querySelectorAll("
                + "'#neighsyncd-neighbors tbody tr')).map(function (r) { return Array.from(r.cells).map("
                + "function (c) { return c.textContent; }).join('|'); });");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rows.length(); i++) {
            out.add(rows.getString(i));
        }
        return out;
    }

    /**
     * Polls the page's change feed from {@code revision} and applies what it answers to
     * {@code view} until {@code done} holds; each poll ends when changes came (or after the
     * server's 20 s wait). Returns the revision reached.
     */
    private long follow(String changes, String history, long revision, String password, Map<String, String> view,
            java.util.function.Predicate<Map<String, String>> done) throws Exception {
        long at = revision;
        for (int polls = 0; !done.test(view); polls++) {
            assertTrue(polls < 20, "the changes never came: " + view);
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(changes + "&history=" + history + "&after=" + at))
                    .timeout(Duration.ofSeconds(40)).header("Authorization", basic("admin", password)).GET().build());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            JSONObject answer = new JSONObject(r.body());
            assertFalse(answer.has("reset"), r.body());
            JSONArray list = answer.getJSONArray("changes");
            for (int i = 0; i < list.length(); i++) {
                JSONObject c = list.getJSONObject(i);
                if (c.getString("op").equals("set")) {
                    view.put(c.getString("key"), c.getString("mac"));
                } else {
                    view.remove(c.getString("key"));
                }
            }
            assertTrue(answer.getLong("revision") >= at, r.body());
            at = answer.getLong("revision");
        }
        return at;
    }

    @Test
    void aConfigurationManagerSaveIsWrittenIntoItsEtcFileWhichStaysLinked() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-wc");
                Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
            String password = Files.readString(daemon.runDir().resolve("webconsole.password")).strip();
            String base = "http://127.0.0.1:" + daemon.httpPort() + CONSOLE;
            Path cfg = daemon.configDir().resolve(REDIS_PID + ".cfg");
            String original = Files.readString(cfg);
            awaitAnswer(get(URI.create(base + "/bundles"), "admin", password));
            Wait.until("the redis configuration with its metatype", Duration.ofSeconds(10),
                    () -> form(base, password, REDIS_PID).has("batchSize"));

            // when: the Configuration Manager's form is saved as the page sends it, one field changed
            JSONObject fields = form(base, password, REDIS_PID);
            assertFalse(fields.has("felix.fileinstall.filename"), "the file link is not a form field");
            List<String> body = new ArrayList<>(List.of("apply=true", "action=ajaxConfigManager",
                    "propertylist=" + enc(String.join(",", fields.keySet()))));
            for (String name : fields.keySet()) {
                JSONObject f = fields.getJSONObject(name);
                if (name.equals("batchSize")) {
                    body.add("batchSize=77");
                } else if (f.has("values")) {
                    JSONArray values = f.getJSONArray("values");
                    for (int i = 0; i < values.length(); i++) {
                        body.add(enc(name) + "=" + enc(values.getString(i)));
                    }
                } else {
                    body.add(enc(name) + "=" + enc(String.valueOf(f.opt("value") == null ? "" : f.get("value"))));
                }
            }
            HttpResponse<String> saved = send(post(URI.create(base + "/configMgr/" + REDIS_PID), password, body));
            assertEquals(302, saved.statusCode(), saved.body());

            // then: the file changed in that one value: comments, placeholders and the other lines are as
            // they were, and no default the form sent was pinned in it
            String text = Files.readString(cfg);
            assertEquals(original.strip() + "\nbatchSize = 77", text.strip());
            // and: Config Admin has it, still linked to the file
            Wait.until("batchSize 77 in Config Admin", Duration.ofSeconds(5),
                    () -> configuration(base, password, REDIS_PID).contains("batchSize = 77"));
            assertTrue(configuration(base, password, REDIS_PID).contains(
                    "felix.fileinstall.filename = " + cfg.toFile().getAbsoluteFile().toURI()));

            // when: the operator edits the file
            Files.writeString(cfg, text.replace("batchSize = 77", "batchSize = 66"));
            // then: the file is applied again
            Wait.until("batchSize 66 from the file", Duration.ofSeconds(10),
                    () -> configuration(base, password, REDIS_PID).contains("batchSize = 66"));

            // and: a form with one field (a script may post one) removes nothing, from the file or Config Admin
            HttpResponse<String> partial = send(post(URI.create(base + "/configMgr/" + REDIS_PID), password,
                    List.of("apply=true", "action=ajaxConfigManager", "propertylist=batchSize", "batchSize=55")));
            assertEquals(302, partial.statusCode(), partial.body());
            assertEquals(text.replace("batchSize = 77", "batchSize = 55"), Files.readString(cfg));
            Wait.until("batchSize 55 in Config Admin", Duration.ofSeconds(5),
                    () -> configuration(base, password, REDIS_PID).contains("batchSize = 55"));
            assertTrue(configuration(base, password, REDIS_PID).contains("redisUrl = " + redis.unixUrl(0)),
                    configuration(base, password, REDIS_PID));

            // and: deleting a configuration that comes from a file is refused, the file stays
            HttpResponse<String> delete = send(post(URI.create(base + "/configMgr/" + REDIS_PID), password,
                    List.of("apply=true", "delete=true")));
            assertEquals(400, delete.statusCode(), delete.body());
            assertTrue(Files.exists(cfg));
            assertTrue(configuration(base, password, REDIS_PID).contains("batchSize = 55"));

            // and: the console's own password cannot be saved empty (the console would accept admin/admin)
            Path consoleCfg = daemon.configDir().resolve(CONSOLE_PID + ".cfg");
            String consoleText = Files.readString(consoleCfg);
            HttpResponse<String> empty = send(post(URI.create(base + "/configMgr/" + CONSOLE_PID), password,
                    List.of("apply=true", "action=ajaxConfigManager", "propertylist=password", "password=")));
            assertEquals(400, empty.statusCode(), empty.body());
            assertEquals(consoleText, Files.readString(consoleCfg));
            assertEquals(401, send(get(URI.create(base + "/bundles"), "admin", "admin")).statusCode());
            assertEquals(200, send(get(URI.create(base + "/bundles"), "admin", password)).statusCode());
        }
    }

    /** The Configuration Manager's form fields of a PID, as its page reads them. */
    private JSONObject form(String base, String password, String pid) throws Exception {
        HttpResponse<String> r = send(post(URI.create(base + "/configMgr/" + pid), password, List.of()));
        assertEquals(200, r.statusCode(), r.body());
        return new JSONObject(r.body()).getJSONObject("properties");
    }

    /** The console's Configurations status text for one PID: every property, the file link included. */
    private String configuration(String base, String password, String pid) throws Exception {
        String all = send(get(URI.create(base + "/status-Configurations.txt"), "admin", password)).body();
        int at = all.indexOf("PID = " + pid + "\n");
        assertTrue(at >= 0, all);
        int end = all.indexOf("\n\n", at);
        return all.substring(at, end < 0 ? all.length() : end);
    }

    private static List<String> endpoints(Daemon daemon) throws Exception {
        ServiceReference<?>[] refs = daemon.context().getServiceReferences((String) null, "(osgi.http.endpoint=*)");
        assertTrue(refs != null && refs.length > 0, "an HTTP runtime with endpoints");
        List<String> out = new ArrayList<>();
        Object value = refs[0].getProperty("osgi.http.endpoint");
        if (value instanceof String[] a) {
            Collections.addAll(out, a);
        } else {
            out.add(String.valueOf(value));
        }
        return out;
    }

    private static Optional<InetAddress> nonLoopbackIpv4() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    /** The console's hash of {@code password}, as {@code bin/neighsyncd --hash-password} prints it. */
    private static String hashOf(String password) throws Exception {
        Class<?> access = Class.forName("net.neighsyncd.launcher.WebConsoleAccess");
        java.lang.reflect.Method hash = access.getDeclaredMethod("hash", String.class);
        hash.setAccessible(true);
        return (String) hash.invoke(null, password);
    }

    private static HttpRequest get(URI uri, String user, String password) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (user != null) {
            b.header("Authorization", basic(user, password));
        }
        return b.build();
    }

    private static HttpRequest post(URI uri, String password, List<String> form) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", basic("admin", password))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", form))).build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return ConsoleHttp.send(http, request);
    }

    /**
     * Sends the request until the console answers it with 200: Jetty starts on the framework's
     * defaults and restarts once when etc/org.apache.felix.http.cfg is applied, and the console
     * registers its servlet after that.
     */
    private HttpResponse<String> awaitAnswer(HttpRequest request) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            HttpResponse<String> r = send(request);
            if (r.statusCode() == 200 || System.nanoTime() > end) {
                return r;
            }
            Thread.sleep(50);
        }
    }
}
