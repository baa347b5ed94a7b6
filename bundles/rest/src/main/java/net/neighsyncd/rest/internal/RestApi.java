package net.neighsyncd.rest.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import net.neighsyncd.api.access.ApiAccess;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.metrics.MeterSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API's configuration (PID {@value #PID}) and its counts: the settings every resource
 * reads, the health problem of a rejected configuration (the last good one stays in force), and
 * the API's meters.
 */
@Component(service = {RestApi.class, HealthContributor.class, MeterSource.class}, configurationPid = RestApi.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RestApi.Config.class)
public final class RestApi implements HealthContributor, MeterSource {
    static final String PID = "net.neighsyncd.rest";
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

    @ObjectClassDefinition(name = "neighsyncd REST API", description = "The HTTP API under /api/v1 (the Web "
            + "Console's server and address): the limits every request and event stream keeps. Its tokens are "
            + "those of net.neighsyncd.access.")
    public @interface Config {
        @AttributeDefinition(name = "Longest query", description = "Longest query string a request may carry "
                + "(characters, 64 to 65536); a longer one answers 414.", min = "64", max = "65536")
        int maxQueryLength() default 2048;

        @AttributeDefinition(name = "Event streams", description = "Most /api/v1/events streams open at once "
                + "(streams, 0 to 1024); one more answers 503.", min = "0", max = "1024")
        int maxEventClients() default 8;

        @AttributeDefinition(name = "Event stream lag limit", description = "Most changes an event stream may "
                + "fall behind the engine before it gets a reset event and a new snapshot instead of the changes "
                + "(changes, 16 to 10000000). Depends on the engine's watchHistory: a stream further behind than "
                + "that history is reset whatever this says.", min = "16", max = "10000000")
        int eventLagLimit() default 10_000;

        @AttributeDefinition(name = "Largest page", description = "Most neighbors one /api/v1/neighbors page "
                + "holds (neighbors, 1 to 100000); a larger limit answers 400.", min = "1", max = "100000")
        int maxPageSize() default 1000;

        @AttributeDefinition(name = "Resync interval", description = "Shortest time between two resyncs of one "
                + "pipeline asked with POST /api/v1/resync (seconds, 0 to 86400); one sooner answers 429 with "
                + "Retry-After.", min = "0", max = "86400")
        long resyncMinIntervalSeconds() default 10;

        @AttributeDefinition(name = "Largest request body", description = "Largest request body accepted "
                + "(bytes, 0 to 1048576); a larger one answers 413 before it is read.", min = "0", max = "1048576")
        int maxRequestBytes() default 16_384;
    }

    /** Why requests were refused, each counted. */
    enum Refusal {
        UNAUTHENTICATED, FORBIDDEN, BAD_REQUEST, TOO_LONG, TOO_MANY_STREAMS, NOT_FOUND, RATE_LIMITED, TOO_LARGE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private volatile RestSettings settings = RestSettings.DEFAULTS;
    /** When each pipeline's last resync over the API was let through ({@link System#nanoTime()}); guarded by itself. */
    private final Map<String, Long> lastResync = new java.util.HashMap<>();
    private volatile String rejected;
    private volatile boolean tokensMisplaced;
    private final LongAdder configRejected = new LongAdder();
    private final Map<Refusal, LongAdder> refusals = new java.util.EnumMap<>(Refusal.class);
    final LongAdder eventResets = new LongAdder();
    final java.util.concurrent.atomic.AtomicInteger eventClients = new java.util.concurrent.atomic.AtomicInteger();

    public RestApi() {
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new LongAdder());
        }
    }

    @Activate
    @Modified
    void configure(Config config, Map<String, Object> properties) {
        // the tokens moved to net.neighsyncd.access: an old file's are not used, and an operator must hear it
        tokensMisplaced = properties != null && properties.containsKey("tokens");
        if (tokensMisplaced) {
            LOG.warn("configuration {} holds tokens, which it no longer reads: the API tokens are those of {} "
                    + "(move the tokens line to etc/{}.cfg)", PID, ApiAccess.PID, ApiAccess.PID);
        }
        RestSettings next;
        try {
            next = RestSettings.of(config);
        } catch (IllegalArgumentException e) {
            rejected = e.getMessage();
            configRejected.increment();
            LOG.error("configuration {} rejected, keeping the last good one: {}", PID, rejected);
            return;
        }
        rejected = null;
        settings = next;
    }

    /** {@code api} as a resource holds it: while its bundle stops (its references gone), a request answers 503. */
    static RestApi live(RestApi api) {
        if (api == null) {
            throw new jakarta.ws.rs.ServiceUnavailableException("the REST API is stopping");
        }
        return api;
    }

    RestSettings settings() {
        return settings;
    }

    /**
     * Whether a resync of {@code namespace} may be asked now: 0 when it may (and it counts as asked),
     * else the seconds to wait.
     */
    long resyncAllowedIn(String namespace) {
        long interval = java.util.concurrent.TimeUnit.SECONDS.toNanos(settings.resyncMinIntervalSeconds());
        long now = System.nanoTime();
        synchronized (lastResync) {
            Long last = lastResync.get(namespace);
            if (last != null && now - last < interval) {
                return Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(interval - (now - last) + 999_999_999L));
            }
            lastResync.put(namespace, now);
            return 0;
        }
    }

    void refused(Refusal why) {
        refusals.get(why).increment();
    }

    @Override
    public Set<Problem> problems() {
        Set<Problem> out = new java.util.HashSet<>();
        String why = rejected;
        if (why != null) {
            out.add(Problem.degraded(PID, "configuration rejected, the last good one is in force: " + why));
        }
        if (tokensMisplaced) {
            out.add(Problem.degraded(PID, "tokens are set here and not used: they belong in " + ApiAccess.PID));
        }
        return out;
    }

    @Override
    public List<MeterSpec> meters() {
        List<MeterSpec> out = new java.util.ArrayList<>();
        for (Refusal r : Refusal.values()) {
            out.add(MeterSpec.counter("neighsyncd.rest.requests.refused", "API requests answered with an error, "
                    + "by why", Map.of("reason", r.label()), refusals.get(r)::sum));
        }
        out.add(MeterSpec.counter("neighsyncd.rest.config.rejected", "REST API configurations rejected (the last "
                + "good one kept)", Map.of(), configRejected::sum));
        out.add(MeterSpec.counter("neighsyncd.rest.events.resets", "Event streams told to start again from a "
                + "snapshot (too far behind, or the engine started again)", Map.of(), eventResets::sum));
        out.add(MeterSpec.gauge("neighsyncd.rest.events.clients", null, "Event streams open", Map.of(),
                eventClients::get));
        return out;
    }
}
