package net.neighsyncd.metrics.internal;

import io.micrometer.core.instrument.Meter;
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
    /** The engine the engine meters read, and what they read through (held strongly: meters keep weak references). */
    private transient SyncEngine engine;
    private transient StatusMemo memo;
    private transient List<Meter> engineMeters = List.of();
    /** The latency histogram, a collector on the Prometheus registry (no Micrometer meter exports fixed buckets). */
    private transient LatencyCollector latency;
    private transient VrfCountsCollector vrfCounts;
    /** The meters of the {@link MeterSource} services. */
    private final transient SourceMeters sourceMeters = new SourceMeters(registry);
    /** The stage latencies of the {@link StageTimings} services, a collector on the Prometheus registry. */
    private final transient StageCollector stages = new StageCollector();

    private transient org.osgi.framework.ServiceRegistration<?> registryService;

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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindEngine(SyncEngine e) {
        removeEngineMeters();
        engine = e;
        memo = new StatusMemo(e::status, STATUS_MAX_AGE_NANOS, System::nanoTime);
        engineMeters = EngineMeters.register(registry, memo);
        latency = new LatencyCollector(memo);
        registry.getPrometheusRegistry().register(latency);
        vrfCounts = new VrfCountsCollector(e::neighborsByVrf);
        registry.getPrometheusRegistry().register(vrfCounts);
    }

    synchronized void unbindEngine(SyncEngine e) {
        if (engine == e) {
            removeEngineMeters();
            engine = null;
            memo = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMeterSource(MeterSource source) {
        sourceMeters.bind(source);
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

    private void removeEngineMeters() {
        for (Meter m : engineMeters) {
            registry.remove(m);
        }
        engineMeters = List.of();
        if (latency != null) {
            registry.getPrometheusRegistry().unregister(latency);
            latency = null;
        }
        if (vrfCounts != null) {
            registry.getPrometheusRegistry().unregister(vrfCounts);
            vrfCounts = null;
        }
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
        StatusMemo status;
        synchronized (this) {
            status = memo;
        }
        try (OutputStream out = response.getOutputStream();
                StatusMemo.Scrape pinned = status == null ? null : status.scrape()) {
            registry.scrape(out, contentType);
        }
    }
}
