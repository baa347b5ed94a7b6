package net.neighsyncd.tracing.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.metrics.MeterSpec;
import net.neighsyncd.api.tracing.BatchTracer;
import net.neighsyncd.api.tracing.WrittenBatch;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * OpenTelemetry tracing of the sync path, exported over OTLP/HTTP (PID {@value #PID}). While an
 * endpoint is configured it registers a {@link BatchTracer}, which the engine's writers tell of
 * every batch; with none it registers nothing, so the sync path carries no tracer at all. A new
 * configuration replaces the SDK pipeline without touching the registration; a rejected one is
 * logged in one line and reported as a degraded problem, the last good one staying in force.
 */
@Component(configurationPid = OtlpTracing.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        service = {HealthContributor.class, MeterSource.class})
@Designate(ocd = OtlpTracing.Config.class)
public final class OtlpTracing implements HealthContributor, MeterSource {
    static final String PID = "net.neighsyncd.tracing";
    private static final Logger LOG = LoggerFactory.getLogger(OtlpTracing.class);

    @ObjectClassDefinition(name = "neighsyncd tracing", description = "OpenTelemetry traces of the sync path, "
            + "exported over OTLP/HTTP: a span per batch written to a sink, from the kernel read of its oldest change "
            + "to the sink's answer, with the sink call as a child and, for sampled batches, a child per neighbor. "
            + "Off while no endpoint is set.")
    public @interface Config {
        @AttributeDefinition(name = "OTLP endpoint", description = "The OTLP/HTTP traces URL (protobuf), e.g. "
                + "http://127.0.0.1:4318/v1/traces; http or https. Empty: tracing off, and the sync path carries "
                + "no tracer.")
        String endpoint() default "";

        @AttributeDefinition(name = "Service name", description = "The resource attribute service.name of every "
                + "span.")
        String serviceName() default "neighsyncd";

        @AttributeDefinition(name = "Neighbor sample ratio", description = "Share of batches whose changes also get "
                + "a span each (ratio, 0 to 1): 0 none, 1 every batch, 0.25 every fourth, chosen by count. Every batch "
                + "has its span whatever this is.", min = "0", max = "1")
        double neighborSampleRatio() default 0;

        @AttributeDefinition(name = "Export timeout", description = "Longest one export request to the endpoint "
                + "may take (milliseconds, 1 to 600000); also how long a stop waits for queued spans.", min = "1",
                max = "600000")
        long exportTimeoutMillis() default 10_000;

        @AttributeDefinition(name = "Queue size", description = "Most spans waiting for export (spans, 1 to "
                + "1000000); more are dropped and counted. Depends on the export batch size: at least that.",
                min = "1", max = "1000000")
        int maxQueueSize() default 2048;

        @AttributeDefinition(name = "Export batch size", description = "Most spans in one export request (spans, 1 "
                + "to the queue size). Depends on the queue size: at most that.", min = "1", max = "1000000")
        int maxExportBatchSize() default 512;
    }

    private final ExportCounts counts = new ExportCounts();
    /** The engine's tracer: the same object across reconfigurations, so the engine binds it once. */
    private final BatchTracer tracer = this::written;
    private BundleContext context;
    private BatchSpans.Anchor anchor;
    /** The configuration in force; the defaults (off) until a valid one is taken. */
    private TracingSettings inForce;
    private volatile TracingPipeline pipeline;
    private ServiceRegistration<BatchTracer> registration;
    private volatile String rejected;

    @Activate
    synchronized void activate(BundleContext bundleContext, Config config) {
        context = bundleContext;
        anchor = BatchSpans.Anchor.now();
        configure(config);
    }

    @Modified
    synchronized void modified(Config config) {
        configure(config);
    }

    @Deactivate
    synchronized void deactivate() {
        unregister();
        TracingPipeline p = pipeline;
        pipeline = null;
        if (p != null) {
            // bounded: queued spans are exported for at most one export timeout
            p.shutdown().join(p.settings().exportTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
        inForce = null;
    }

    private void configure(Config config) {
        TracingSettings next;
        TracingPipeline nextPipeline = null;
        try {
            next = TracingSettings.of(config);
            if (next.equals(inForce)) {
                rejected = null;
                return;
            }
            if (next.enabled()) {
                nextPipeline = TracingPipeline.otlp(next, counts, anchor);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            rejected = e.getMessage();
            LOG.error("configuration {} rejected, keeping the last good one: {}", PID, rejected);
            return;
        }
        rejected = null;
        TracingPipeline old = pipeline;
        if (nextPipeline == null) {
            unregister();
            pipeline = null;
            LOG.info("tracing off (no endpoint)");
        } else {
            pipeline = nextPipeline;
            register();
            LOG.info("tracing: spans to {} as service {}, neighbor spans for {} of the batches", next.endpoint(),
                    next.serviceName(), next.neighborSampleRatio());
        }
        if (old != null) {
            counts.droppedBefore.add(old.droppedSpans());
            old.shutdown();
        }
        inForce = next;
    }

    /** Writer threads: one batch. Ignored once tracing was turned off (a call racing the unregistration). */
    private void written(WrittenBatch batch) {
        TracingPipeline p = pipeline;
        if (p != null) {
            p.record(batch);
        }
    }

    private void register() {
        if (registration == null) {
            registration = context.registerService(BatchTracer.class, tracer, null);
        }
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                LOG.debug("tracer already unregistered", e);
            }
            registration = null;
        }
    }

    @Override
    public Set<Problem> problems() {
        String why = rejected;
        return why == null ? Set.of()
                : Set.of(Problem.degraded(PID, "configuration rejected, the last good one is in force: " + why));
    }

    @Override
    public List<MeterSpec> meters() {
        return List.of(
                MeterSpec.gauge("neighsyncd.tracing.enabled", null,
                        "1 while spans are exported to an OTLP endpoint, else 0", Map.of(),
                        () -> pipeline == null ? 0 : 1),
                MeterSpec.counter("neighsyncd.tracing.batches", "Sink batches traced (one neighsyncd.batch span each)",
                        Map.of(), counts.batches::sum),
                MeterSpec.counter("neighsyncd.tracing.spans.exported", "Spans the OTLP endpoint accepted", Map.of(),
                        counts.spansExported::sum),
                MeterSpec.counter("neighsyncd.tracing.spans.failed",
                        "Spans lost in export requests that failed (endpoint unreachable, refused, timed out)",
                        Map.of(), counts.spansFailed::sum),
                MeterSpec.counter("neighsyncd.tracing.exports.failed", "OTLP export requests that failed", Map.of(),
                        counts.exportsFailed::sum),
                MeterSpec.counter("neighsyncd.tracing.spans.dropped",
                        "Spans dropped before export because the queue (maxQueueSize) was full", Map.of(),
                        this::droppedSpans));
    }

    private double droppedSpans() {
        TracingPipeline p = pipeline;
        return counts.droppedBefore.sum() + (p == null ? 0 : p.droppedSpans());
    }
}
