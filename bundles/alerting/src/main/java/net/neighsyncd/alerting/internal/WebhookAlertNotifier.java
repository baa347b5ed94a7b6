package net.neighsyncd.alerting.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.alerting.Alert;
import net.neighsyncd.api.alerting.AlertNotifier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each alert transition as JSON to a URL (factory configurations of {@value #FACTORY_PID};
 * in {@code etc/}: {@code net.neighsyncd.alert.webhook-<name>.cfg}). Failed or timed-out posts
 * (no 2xx answer) are retried with a doubling, capped backoff on a thread of its own: the
 * alerting engine never waits for the network.
 */
@Component(service = AlertNotifier.class, configurationPid = WebhookAlertNotifier.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WebhookAlertNotifier.Config.class, factory = true)
public final class WebhookAlertNotifier implements AlertNotifier {
    static final String FACTORY_PID = "net.neighsyncd.alert.webhook";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookAlertNotifier.class);

    @ObjectClassDefinition(id = FACTORY_PID, name = "neighsyncd alert webhook",
            description = "Sends every alert that fires or resolves as a JSON POST to a URL.")
    public @interface Config {
        @AttributeDefinition(name = "URL", description = "http:// or https:// URL the alerts are POSTed to.")
        String url();

        @AttributeDefinition(name = "Timeout (ms)", description = "Connect and response timeout of one POST, in "
                + "milliseconds. Range 100..120000.", min = "100", max = "120000")
        int timeoutMillis() default 5000;

        @AttributeDefinition(name = "Retries", description = "Further attempts after a failed POST. Range 0..100.",
                min = "0", max = "100")
        int retries() default 5;

        @AttributeDefinition(name = "Backoff (ms)", description = "Wait before the first retry, doubled on each "
                + "next one, in milliseconds. Range 10..600000.", min = "10", max = "600000")
        int backoffMillis() default 1000;

        @AttributeDefinition(name = "Maximum backoff (ms)", description = "Cap of the doubling wait, in "
                + "milliseconds. Range 10..3600000.", min = "10", max = "3600000")
        int maxBackoffMillis() default 60000;

        @AttributeDefinition(name = "Name hint", description = "How the Web Console names these configurations.")
        String webconsole_configurationFactory_nameHint() default "{url}";
    }

    record Settings(URI url, int timeoutMillis, int retries, int backoffMillis, int maxBackoffMillis) {
        static Settings parse(Map<String, ?> p) {
            Object u = p.get("url");
            if (u == null || u.toString().isBlank()) {
                throw new IllegalArgumentException("url: missing");
            }
            URI url;
            try {
                url = URI.create(u.toString().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url: '" + u + "' is not a URL");
            }
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("url: '" + u + "' is not an http:// or https:// URL");
            }
            return new Settings(url, integer(p, "timeoutMillis", 5000, 100, 120_000), integer(p, "retries", 5, 0, 100),
                    integer(p, "backoffMillis", 1000, 10, 600_000), integer(p, "maxBackoffMillis", 60_000, 10, 3_600_000));
        }

        /** The wait before retry {@code n} (1-based). */
        long backoff(int n) {
            long b = backoffMillis;
            for (int i = 1; i < n && b < maxBackoffMillis; i++) {
                b *= 2;
            }
            return Math.min(b, maxBackoffMillis);
        }

        private static int integer(Map<String, ?> p, String key, int dflt, int min, int max) {
            Object o = p.get(key);
            if (o == null || o.toString().isBlank()) {
                return dflt;
            }
            int v;
            try {
                v = Integer.parseInt(o.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + o + "' is not a whole number");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(key + ": " + v + " is out of range " + min + ".." + max);
            }
            return v;
        }
    }

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "neighsyncd-alert-webhook");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().executor(executor)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final RetryScheduler retries;
    private volatile Settings settings;
    private volatile Object pid;

    /** Runs a retry after a wait; the notifier's own thread in production. */
    @FunctionalInterface
    interface RetryScheduler {
        /** Runs {@code retry} in {@code delayMillis}; throws RejectedExecutionException once deactivated. */
        void schedule(Runnable retry, long delayMillis);
    }

    public WebhookAlertNotifier() {
        this.retries = (retry, delayMillis) -> executor.schedule(retry, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** A notifier whose retries wait on {@code retries}; for tests. */
    WebhookAlertNotifier(RetryScheduler retries) {
        this.retries = retries;
    }

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    private void configure(Map<String, Object> properties) {
        pid = properties.getOrDefault("service.pid", FACTORY_PID);
        try {
            settings = Settings.parse(properties);
            LOG.info("alert webhook {}: {}", pid, settings);
        } catch (IllegalArgumentException e) {
            LOG.warn("alert webhook configuration {} rejected: {}; {}", pid, e.getMessage(),
                    settings == null ? "the webhook sends nothing" : "keeping the last good configuration");
        }
    }

    @Override
    public void notify(Alert alert) {
        deliver(alert);
    }

    /**
     * Sends {@code alert} as {@link #notify} does, without waiting; the result completes once
     * the sending is over, true when a 2xx answer came, false when the notifier gave up (or
     * has no valid configuration). Nothing is sent for this alert after it completes.
     */
    CompletableFuture<Boolean> deliver(Alert alert) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        Settings s = settings;
        if (s == null) {
            done.complete(false);
        } else {
            send(s, Json.of(alert), alert, 0, done);
        }
        return done;
    }

    private void send(Settings s, String body, Alert alert, int attempt, CompletableFuture<Boolean> done) {
        HttpRequest request = HttpRequest.newBuilder(s.url()).timeout(Duration.ofMillis(s.timeoutMillis()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() / 100 == 2) {
                    done.complete(true);
                    return;
                }
                String why = error != null ? error.toString() : "HTTP " + response.statusCode();
                if (attempt < s.retries()) {
                    long wait = s.backoff(attempt + 1);
                    LOG.debug("alert webhook {}: {} {} failed ({}), retry {} in {} ms", pid, alert.rule(),
                            alert.state(), why, attempt + 1, wait);
                    try {
                        retries.schedule(() -> send(s, body, alert, attempt + 1, done), wait);
                    } catch (RejectedExecutionException e) {
                        done.complete(false); // deactivated
                    }
                } else {
                    LOG.warn("alert webhook {}: giving up on {} {} after {} attempts: {}", pid, alert.rule(),
                            alert.state(), attempt + 1, why);
                    done.complete(false);
                }
            });
        } catch (RejectedExecutionException | IllegalArgumentException e) {
            LOG.warn("alert webhook {}: cannot send {} {}: {}", pid, alert.rule(), alert.state(), e.toString());
            done.complete(false);
        }
    }
}
