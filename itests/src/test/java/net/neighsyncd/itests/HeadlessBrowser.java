package net.neighsyncd.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * A real headless Chromium, driven by Debian's chromedriver over the W3C WebDriver protocol (plain
 * JSON over HTTP, no client library): for the tests of what a page's script does. The driver
 * listens on a free loopback port; the browser runs with a profile of its own, without any
 * background networking.
 */
final class HeadlessBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process driver;
    private final Path profile;
    private final String base;
    private final String session;

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static String whyUnavailable() {
        return "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "); scripts/test installs them as root";
    }

    private HeadlessBrowser(Process driver, Path profile, String base, String session) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
        this.session = session;
    }

    /** Starts the driver and a browser session whose every request carries {@code headers}. */
    static HeadlessBrowser start(Map<String, String> headers) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path profile = Files.createTempDirectory("neighsyncd-chromium");
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromedriver.log").toFile()).start();
        String base = "http://127.0.0.1:" + port;
        HeadlessBrowser b = null;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Wait.until("chromedriver ready", Duration.ofSeconds(30), () -> {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/status"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    return new JSONObject(r.body()).getJSONObject("value").getBoolean("ready");
                } catch (IOException e) {
                    return false;
                }
            });
            JSONObject options = new JSONObject().put("binary", CHROMIUM.toString()).put("args", new JSONArray()
                    .put("--headless=new").put("--no-sandbox").put("--disable-gpu").put("--disable-dev-shm-usage")
                    .put("--disable-quic").put("--no-first-run").put("--disable-background-networking")
                    .put("--disable-component-update").put("--disable-sync")
                    .put("--user-data-dir=" + profile.resolve("profile")));
            JSONObject caps = new JSONObject().put("capabilities", new JSONObject().put("alwaysMatch",
                    new JSONObject().put("browserName", "chrome").put("goog:chromeOptions", options)));
            JSONObject created = call(http, "POST", base + "/session", caps);
            b = new HeadlessBrowser(driver, profile, base, created.getJSONObject("value").getString("sessionId"));
            b.command("POST", "/goog/cdp/execute", new JSONObject().put("cmd", "Network.enable")
                    .put("params", new JSONObject()));
            b.command("POST", "/goog/cdp/execute", new JSONObject().put("cmd", "Network.setExtraHTTPHeaders")
                    .put("params", new JSONObject().put("headers", new JSONObject(headers))));
            return b;
        } catch (Exception | AssertionError e) {
            if (b != null) {
                b.close();
            } else {
                driver.destroyForcibly();
                delete(profile);
            }
            throw e;
        }
    }

    /** Opens {@code url} and returns once the page has loaded. */
    void open(String url) throws Exception {
        command("POST", "/url", new JSONObject().put("url", url));
    }

    /** Runs {@code script} (a function body; {@code return} gives the value) in the page. */
    Object run(String script) throws Exception {
        return command("POST", "/execute/sync", new JSONObject().put("script", script).put("args", new JSONArray()))
                .opt("value");
    }

    private JSONObject command(String method, String path, JSONObject body) throws Exception {
        return call(http, method, base + "/session/" + session + path, body);
    }

    private static JSONObject call(HttpClient http, String method, String url, JSONObject body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        r.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> answer = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        JSONObject json = new JSONObject(answer.body());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + url + " answered " + answer.statusCode()
                    + ": " + answer.body());
        }
        return json;
    }

    @Override
    public void close() throws Exception {
        try {
            command("DELETE", "", null);
        } catch (Exception e) {
            // the driver goes next anyway
        } finally {
            driver.destroy();
            if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
            delete(profile);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
