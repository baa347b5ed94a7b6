package net.neighsyncd.tracing.internal;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import net.neighsyncd.api.tracing.WrittenBatch;

/**
 * One configuration's OpenTelemetry SDK: a tracer provider whose batch span processor queues the
 * spans of {@link BatchSpans} and hands them to the (counted) exporter on its own thread, so the
 * writer threads only build spans. A new configuration gets a new pipeline; the old one is shut
 * down.
 */
final class TracingPipeline {
    static final String SCOPE = "net.neighsyncd.tracing";
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    /**
     * The exporter's HTTP sender: the OTLP exporter looks its {@link HttpSenderProvider} up with
     * {@code ServiceLoader}, which in OSGi sees no other bundle's providers; this hands it the JDK
     * sender's (java.net.http: no OkHttp, no Kotlin) and leaves anything else to this bundle's class
     * loader.
     */
    static final ComponentLoader JDK_HTTP_SENDER = new ComponentLoader() {
        private final ComponentLoader own = ComponentLoader.forClassLoader(TracingPipeline.class.getClassLoader());

        @Override
        public <T> Iterable<T> load(Class<T> type) {
            if (type == HttpSenderProvider.class) {
                return List.of(type.cast(new JdkHttpSenderProvider()));
            }
            return own.load(type);
        }
    };

    private final TracingSettings settings;
    private final ExportCounts counts;
    private final SdkTracerProvider provider;
    private final SdkMeterProvider meters;
    private final ProcessorMeters processorMeters = new ProcessorMeters();
    private final BatchSpans spans;

    /** A pipeline exporting to {@code settings}' OTLP/HTTP endpoint. */
    static TracingPipeline otlp(TracingSettings settings, ExportCounts counts, BatchSpans.Anchor anchor) {
        SpanExporter otlp = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.endpoint())
                .setTimeout(settings.exportTimeoutMillis(), MILLISECONDS)
                .setComponentLoader(JDK_HTTP_SENDER)
                .setMeterProvider(MeterProvider.noop())
                .build();
        return new TracingPipeline(settings, otlp, counts, anchor);
    }

    /** A pipeline exporting to {@code exporter} (counted). */
    TracingPipeline(TracingSettings settings, SpanExporter exporter, ExportCounts counts, BatchSpans.Anchor anchor) {
        this.settings = settings;
        this.counts = counts;
        meters = SdkMeterProvider.builder().registerMetricReader(processorMeters).build();
        BatchSpanProcessor processor = BatchSpanProcessor.builder(new CountingExporter(exporter, counts,
                        settings.endpoint()))
                .setMaxQueueSize(settings.maxQueueSize())
                .setMaxExportBatchSize(settings.maxExportBatchSize())
                .setExporterTimeout(settings.exportTimeoutMillis(), MILLISECONDS)
                .setMeterProvider(meters)
                .setInternalTelemetryVersion(InternalTelemetryVersion.LEGACY)
                .build();
        provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(SERVICE_NAME, settings.serviceName()))))
                .addSpanProcessor(processor)
                .setMeterProvider(MeterProvider::noop)
                .build();
        spans = new BatchSpans(provider.get(SCOPE), anchor, new NeighborSampling(settings.neighborSampleRatio()));
    }

    TracingSettings settings() {
        return settings;
    }

    /** Writer thread: the batch's spans, queued for export. */
    void record(WrittenBatch batch) {
        spans.record(batch);
        counts.batches.increment();
    }

    /** Spans dropped so far because the export queue was full. */
    long droppedSpans() {
        return processorMeters.droppedSpans();
    }

    /** Exports what is queued, then stops; the result completes when done. */
    CompletableResultCode shutdown() {
        CompletableResultCode traces = provider.shutdown();
        CompletableResultCode done = new CompletableResultCode();
        traces.whenComplete(() -> {
            meters.shutdown();
            if (traces.isSuccess()) {
                done.succeed();
            } else {
                done.fail();
            }
        });
        return done;
    }
}
