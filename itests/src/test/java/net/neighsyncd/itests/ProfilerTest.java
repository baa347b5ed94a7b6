package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiler in the distribution's runtime: every stage of the sync path timed on
 * {@code /metrics} and on the neighsyncd page, and a Java Flight Recorder recording started
 * from the page and downloaded from it.
 */
class ProfilerTest {
    private static final String STAGES = "neighsyncd_stage_latency_seconds_count{stage=\"";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path tmp;

    @Test
    void givenNeighborsSyncedWhenScrapedThenEveryStageHasTimedSamplesOnTheMetricsAndThePage() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-prof")) {
            ns.addVethPair("Ethernet0", "peer0");
            // given: more neighbors than one sample period of the sampled stages (1 in 16)
            StringBuilder batch = new StringBuilder();
            for (int i = 1; i <= 40; i++) {
                batch.append("neigh replace 10.41.0.").append(i).append(" lladdr 02:00:00:00:41:")
                        .append(String.format("%02x", i)).append(" dev Ethernet0 nud permanent\n");
            }
            Path file = tmp.resolve("neigh.batch");
            Files.writeString(file, batch);
            ns.exec("-batch", file.toString());
            try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                String metrics = "http://127.0.0.1:" + daemon.httpPort() + "/metrics";
                // when: the metrics are served (the bundle starts after the sync)
                Wait.until("the stage latencies on /metrics", Duration.ofSeconds(15), () -> {
                    String text = fetch(HttpRequest.newBuilder(URI.create(metrics)).GET().build());
                    return text != null && text.contains(STAGES + "redis_roundtrip\"}");
                });
                String text = fetch(HttpRequest.newBuilder(URI.create(metrics)).GET().build());
                // then: each stage has samples
                for (String stage : List.of("netlink_read", "decode", "rules", "diff", "encode", "redis_roundtrip")) {
                    Matcher m = Pattern.compile(Pattern.quote(STAGES + stage + "\"} ") + "(\\d+)").matcher(text);
                    assertTrue(m.find(), stage + " missing: " + text);
                    assertTrue(Long.parseLong(m.group(1)) > 0, stage + " has no samples: " + text);
                }
                assertTrue(text.contains("neighsyncd_stage_latency_seconds_bucket{stage=\"decode\",le=\"6.4E-8\"}"),
                        text);
                // and: on the neighsyncd page too
                String password = Files.readString(daemon.runDir().resolve("webconsole.password")).strip();
                String page = fetch(get(consolePage(daemon), password));
                assertTrue(page.contains("<table class=\"nicetable\" id=\"neighsyncd-stages\">"), page);
                assertTrue(page.contains("<td>redis_roundtrip</td>"), page);
                assertTrue(page.contains("<td>decode</td>"), page);
            }
        }
    }

    @Test
    void givenTheConsolePageWhenAnOperatorRecordsOneSecondThenTheDownloadIsAReadableFlightRecording()
            throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-jfr");
                Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
            daemon.awaitInitialSync(Duration.ofSeconds(20));
            String password = Files.readString(daemon.runDir().resolve("webconsole.password")).strip();
            URI page = consolePage(daemon);
            Wait.until("the neighsyncd page", Duration.ofSeconds(15), () -> {
                String html = fetch(get(page, password));
                return html != null && html.contains("Java Flight Recorder: no recording yet.");
            });
            String html = fetch(get(page, password));
            Matcher t = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(html);
            assertTrue(t.find(), html);
            String token = t.group(1);
            URI download = URI.create(page + "/neighsyncd.jfr");
            assertEquals(404, send(get(download, password)).statusCode());

            // when: a form without the page's token (another site's), and durations out of range
            HttpResponse<String> forged = send(post(page, password, "action=jfr-start&seconds=1&token=guess"));
            HttpResponse<String> tooLong = send(post(page, password, "action=jfr-start&seconds=301&token=" + token));
            // then: refused, saying why
            assertEquals(403, forged.statusCode(), forged.body());
            assertTrue(forged.body().contains("token"), forged.body());
            assertEquals(400, tooLong.statusCode(), tooLong.body());
            assertTrue(tooLong.body().contains("from 1 to 300"), tooLong.body());
            // and: without the password, nothing at all
            assertEquals(401, send(HttpRequest.newBuilder(page).header("Content-Type",
                    "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                            "action=jfr-start&seconds=1&token=" + token)).build()).statusCode());

            // when: the operator records one second
            HttpResponse<String> started = send(post(page, password, "action=jfr-start&seconds=1&token=" + token));
            // then: back to the page, and a second start while it records is a conflict
            assertEquals(303, started.statusCode(), started.body());
            assertEquals(page.getPath(), started.headers().firstValue("Location").orElse(""));
            HttpResponse<String> again = send(post(page, password, "action=jfr-start&seconds=1&token=" + token));
            assertTrue(again.statusCode() == 409 || again.statusCode() == 303, again.body());
            // and: once the recorder says it ended, the page links the file (the wait ends with that event)
            Wait.until("the recording done", Duration.ofSeconds(30), () -> {
                String now = fetch(get(page, password));
                return now != null && now.contains("id=\"neighsyncd-jfr-download\"");
            });
            HttpResponse<byte[]> file = http.send(get(download, password), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, file.statusCode());
            assertEquals("application/octet-stream", file.headers().firstValue("Content-Type").orElse(""));
            String disposition = file.headers().firstValue("Content-Disposition").orElse("");
            assertTrue(disposition.matches("attachment; filename=\"neighsyncd-\\d{8}T\\d{6}Z\\.jfr\""), disposition);
            Path jfr = tmp.resolve("downloaded.jfr");
            Files.write(jfr, file.body());
            List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
            assertFalse(events.isEmpty(), "a recording with events");
        }
    }

    private static URI consolePage(Daemon daemon) {
        return URI.create("http://127.0.0.1:" + daemon.httpPort() + "/system/console/neighsyncd");
    }

    private static HttpRequest get(URI uri, String password) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", basic(password))
                .GET().build();
    }

    private static HttpRequest post(URI uri, String password, String form) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", basic(password))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return ConsoleHttp.send(http, request);
    }

    /** The body of a 200 answer; null for another answer or no connection yet (Jetty may still be starting). */
    private String fetch(HttpRequest request) throws Exception {
        try {
            HttpResponse<String> r = send(request);
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
