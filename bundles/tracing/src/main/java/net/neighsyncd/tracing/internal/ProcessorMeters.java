package net.neighsyncd.tracing.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * Reads the batch span processor's own meters, which only it can count: the spans it dropped
 * because its queue was full. The processor publishes them, in the {@link
 * InternalTelemetryVersion#LEGACY} form the pipeline asks for, as the counter {@value #PROCESSED}
 * with {@code dropped=true}; read on demand (at scrape time), nothing is exported.
 */
final class ProcessorMeters implements MetricReader {
    static final String PROCESSED = "processedSpans";
    private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    @Override
    public void register(CollectionRegistration r) {
        registration = r;
    }

    /** Spans the processor dropped from its full queue so far. */
    long droppedSpans() {
        long dropped = 0;
        for (MetricData m : registration.collectAllMetrics()) {
            if (m.getName().equals(PROCESSED) && m.getType() == MetricDataType.LONG_SUM) {
                for (LongPointData p : m.getLongSumData().getPoints()) {
                    if (Boolean.TRUE.equals(p.getAttributes().get(DROPPED))) {
                        dropped += p.getValue();
                    }
                }
            }
        }
        return dropped;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
