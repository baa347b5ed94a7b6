package net.neighsyncd.metrics.internal;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.neighsyncd.api.pipeline.Pipelines;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.profiling.StageTimings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code /metrics} on the Felix HTTP server (servlet whiteboard, default context, no login):
 * a Micrometer Prometheus registry with JVM and process meters, the engine's meters while
 * a {@link SyncEngine} is registered, the meters of every {@link MeterSource} service while
 * it is registered, and the stage latencies of every {@link StageTimings} service as
 * {@code neighsyncd_stage_latency_seconds}.
 */
@Component(service = Servlet.class, immediate = true, property = {
        "osgi.http.whiteboard.servlet.pattern=/metrics",
        "osgi.http.whiteboard.servlet.name=neighsyncd-metrics" })
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final long STATUS_MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final transient PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private transient JvmGcMetrics gc;
    /** Each bound engine: its namespace, what its meters read through, and its meters. */
    private final transient Map<SyncEngine, Bound> engines = new ConcurrentHashMap<>();
    /** The latency histogram, a collector on the Prometheus registry (no Micrometer meter exports fixed buckets). */
    private final transient LatencyCollector latency = new LatencyCollector();
    private final transient VrfCountsCollector vrfCounts = new VrfCountsCollector();
    /** The meters of the {@link MeterSource} services. */
    private final transient SourceMeters sourceMeters = new SourceMeters(registry);
    /** The stage latencies of the {@link StageTimings} services, a collector on the Prometheus registry. */
    private final transient StageCollector stages = new StageCollector();

    private transient org.osgi.framework.ServiceRegistration<?> registryService;

    /** The tag (and label) naming a pipeline's network namespace on its meters; empty for the host's. */
    static final String NAMESPACE_TAG = "namespace";

    private record Bound(String namespace, StatusMemo memo, List<Meter> meters) {
    }

    @Activate
    void activate(org.osgi.framework.BundleContext context) {
        // other bundles (the alerting engine) read the same meters
        registryService = context.registerService(io.micrometer.core.instrument.MeterRegistry.class, registry,
                new java.util.Hashtable<>(java.util.Map.of("service.description", "neighsyncd meters")));
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        registry.getPrometheusRegistry().register(stages);
        registry.getPrometheusRegistry().register(latency);
        registry.getPrometheusRegistry().register(vrfCounts);
    }

    @Deactivate
    void deactivate() {
        if (registryService != null) {
            try {
                registryService.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }

    /** Every pipeline's engine: its meters carry its {@value #NAMESPACE_TAG}. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedEngine")
    synchronized void bindEngine(SyncEngine e, Map<String, Object> props) {
        String namespace = Pipelines.namespaceOf(props);
        StatusMemo memo = new StatusMemo(e::status, STATUS_MAX_AGE_NANOS, System::nanoTime);
        List<Meter> meters = EngineMeters.register(registry, memo, Tags.of(NAMESPACE_TAG, namespace));
        engines.put(e, new Bound(namespace, memo, meters));
        latency.add(namespace, memo);
        vrfCounts.add(namespace, e::neighborsByVrf);
    }

    /** An engine moved to another namespace: its meters follow. */
    synchronized void updatedEngine(SyncEngine e, Map<String, Object> props) {
        Bound b = engines.get(e);
        if (b != null && b.namespace().equals(Pipelines.namespaceOf(props))) {
            return;
        }
        unbindEngine(e);
        bindEngine(e, props);
    }

    synchronized void unbindEngine(SyncEngine e) {
        Bound b = engines.remove(e);
        if (b == null) {
            return;
        }
        b.meters().forEach(registry::remove);
        latency.remove(b.namespace());
        vrfCounts.remove(b.namespace());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedMeterSource")
    void bindMeterSource(MeterSource source, Map<String, Object> props) {
        Object ns = props == null ? null : props.get(Pipelines.NAMESPACE_PROPERTY);
        sourceMeters.bind(source, ns == null ? Tags.empty() : Tags.of(NAMESPACE_TAG, ns.toString()));
    }

    /** A source's pipeline moved to another namespace: its meters are exported again with the new tag. */
    void updatedMeterSource(MeterSource source, Map<String, Object> props) {
        sourceMeters.unbind(source);
        bindMeterSource(source, props);
    }

    void unbindMeterSource(MeterSource source) {
        sourceMeters.unbind(source);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStageTimings(StageTimings timings) {
        stages.add(timings);
    }

    void unbindStageTimings(StageTimings timings) {
        stages.remove(timings);
    }

    /** Prometheus text format 0.0.4, or OpenMetrics 1.0.0 when the scraper asks for it. */
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT_004;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String contentType = contentType(request.getHeader("Accept"));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        // every meter of one engine reads one status during the scrape
        List<StatusMemo.Scrape> pinned = new ArrayList<>();
        try (OutputStream out = response.getOutputStream()) {
            for (Bound b : engines.values()) {
                pinned.add(b.memo().scrape());
            }
            registry.scrape(out, contentType);
        } finally {
            pinned.forEach(StatusMemo.Scrape::close);
        }
    }
}
