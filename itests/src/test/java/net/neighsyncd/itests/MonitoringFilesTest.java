package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Grafana dashboard under {@code distribution/monitoring} use only
 * metric names a running daemon really exports: every {@code neighsyncd_*}, {@code jvm_*} and
 * {@code process_*} name in them must be in a scrape taken after a neighbor was written.
 */
class MonitoringFilesTest {
    private static final Path DIR = Path.of(System.getProperty("neighsyncd.monitoring", "../distribution/monitoring"));
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_])((?:neighsyncd|jvm|process)_[a-z0-9_]+)");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) ", Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void alertsAndDashboardUseOnlyExportedMetrics() throws Exception {
        // given: the files, with the names they use
        String alerts = Files.readString(DIR.resolve("alerts.yaml"));
        String dashboard = Files.readString(DIR.resolve("grafana-dashboard.json"));
        new JSONObject(dashboard); // well-formed
        Set<String> alertNames = names(alerts);
        Set<String> dashboardNames = names(dashboard);
        assertTrue(alertNames.size() >= 8, alertNames.toString());
        assertTrue(dashboardNames.size() >= 15, dashboardNames.toString());
        assertTrue(alertNames.contains("neighsyncd_sync_latency_seconds_bucket"), alertNames.toString());

        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-mon")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                String base = "http://127.0.0.1:" + daemon.httpPort();
                daemon.awaitInitialSync(Duration.ofSeconds(20));
                // when: an IPv4 and an IPv6 neighbor are written, so that every series has samples
                ns.exec("neigh", "replace", "10.22.0.1", "lladdr", "02:00:00:00:22:01", "dev", "Ethernet0", "nud",
                        "permanent");
                ns.exec("neigh", "replace", "2001:db8::22", "lladdr", "02:00:00:00:22:02", "dev", "Ethernet0", "nud",
                        "permanent");
                AtomicReference<String> scrape = new AtomicReference<>();
                Wait.until("both neighbors written, latency recorded", Duration.ofSeconds(10), () -> {
                    scrape.set(get(base + "/metrics"));
                    Map<String, Double> s = MetricsEndpointTest.samples(scrape.get());
                    return s.getOrDefault("neighsyncd_appldb_writes_total{namespace=\"" + ns.name() + "\",op=\"set\"}", 0.0) >= 2
                            && s.getOrDefault("neighsyncd_sync_latency_seconds_count{namespace=\"" + ns.name() + "\"}", 0.0) >= 2
                            && s.getOrDefault("neighsyncd_appldb_pending_writes{namespace=\"" + ns.name() + "\"}", 1.0) == 0.0;
                });
                Set<String> exported = exported(scrape.get());
                scrape.get().lines().filter(l -> l.startsWith("neighsyncd_sync_latency")
                        || l.startsWith("neighsyncd_appldb_batch") || l.startsWith("neighsyncd_appldb_write_seconds")
                        || l.startsWith("neighsyncd_neighbors_kernel_by_family"))
                        .forEach(l -> System.out.println("MonitoringFilesTest scrape: " + l));

                // then: nothing the files use is missing from the scrape
                Set<String> missing = new TreeSet<>();
                for (String n : alertNames) {
                    if (!known(n, exported)) {
                        missing.add("alerts.yaml: " + n);
                    }
                }
                for (String n : dashboardNames) {
                    if (!known(n, exported)) {
                        missing.add("grafana-dashboard.json: " + n);
                    }
                }
                assertEquals(Set.of(), missing, "metric names not in the scrape:\n" + scrape.get());

                // and: every meter the default alert rules in etc/ read is in the registry they read
                Set<String> unknownMeters = new TreeSet<>();
                int rules = 0;
                try (var files = Files.list(daemon.configDir())) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith("net.neighsyncd.alert.rule-"))
                            .toList()) {
                        rules++;
                        String meter = Files.readAllLines(f).stream().filter(l -> l.startsWith("meter"))
                                .map(l -> l.substring(l.indexOf('=') + 1).trim()).findFirst().orElse("");
                        if (!registered(daemon, meter)) {
                            unknownMeters.add(f.getFileName() + ": " + meter);
                        }
                    }
                }
                assertTrue(rules >= 6, "default rules found: " + rules);
                assertEquals(Set.of(), unknownMeters, "alert rules in etc/ read meters nobody registers");
            }
        }
    }

    /** Whether the daemon's shared Micrometer registry has a meter of that name (reflective: no shared API). */
    static boolean registered(Daemon daemon, String meter) throws Exception {
        var ref = daemon.context().getServiceReference("io.micrometer.core.instrument.MeterRegistry");
        Object registry = daemon.context().getService(ref);
        var find = registry.getClass().getMethod("find", String.class);
        find.setAccessible(true);
        Object search = find.invoke(registry, meter);
        var meters = search.getClass().getMethod("meters");
        meters.setAccessible(true);
        return !((java.util.Collection<?>) meters.invoke(search)).isEmpty();
    }

    /** Metric names used in a file (PromQL inside YAML or JSON). */
    static Set<String> names(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Sample names and metric family names ({@code # TYPE}) of a text-format scrape. */
    static Set<String> exported(String scrape) {
        Set<String> out = new TreeSet<>();
        for (String key : MetricsEndpointTest.samples(scrape).keySet()) {
            int brace = key.indexOf('{');
            out.add(brace < 0 ? key : key.substring(0, brace));
        }
        Matcher t = TYPE.matcher(scrape);
        while (t.find()) {
            out.add(t.group(1));
        }
        return out;
    }

    /**
     * A sample name of the scrape ({@code foo_bucket}, {@code foo_sum}, {@code foo_count} of a
     * histogram are sample names), or a metric family name ({@code foo} of that histogram). A
     * {@code _bucket} of a name that is not a histogram is not exported, so it fails.
     */
    static boolean known(String name, Set<String> exported) {
        return exported.contains(name);
    }

    private String get(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
