package net.neighsyncd.tracing.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated tracing configuration. {@link #of} rejects one with every problem named
 * ({@code key=value: reason}), so a rejection's log line says all that is wrong at once.
 *
 * @param endpoint            the OTLP/HTTP traces URL; empty: tracing off
 * @param serviceName         the resource's {@code service.name}
 * @param neighborSampleRatio the share of batches whose changes get a span each, 0 to 1
 * @param exportTimeoutMillis bound of one export request, and of the flush at a stop
 * @param maxQueueSize        spans waiting for export at most
 * @param maxExportBatchSize  spans per export request at most, at most {@code maxQueueSize}
 */
record TracingSettings(String endpoint, String serviceName, double neighborSampleRatio, long exportTimeoutMillis,
        int maxQueueSize, int maxExportBatchSize) {

    static final long MAX_EXPORT_TIMEOUT_MILLIS = 600_000;
    static final int MAX_QUEUE_SIZE = 1_000_000;

    /** Tracing on: an endpoint is set. */
    boolean enabled() {
        return !endpoint.isEmpty();
    }

    static TracingSettings of(OtlpTracing.Config c) {
        String endpoint = c.endpoint() == null ? "" : c.endpoint().strip();
        String serviceName = c.serviceName() == null ? "" : c.serviceName().strip();
        List<String> problems = new ArrayList<>();
        if (!endpoint.isEmpty()) {
            endpointProblem(endpoint).ifPresent(why -> problems.add("endpoint=" + endpoint + ": " + why));
        }
        if (serviceName.isEmpty()) {
            problems.add("serviceName is empty");
        }
        double ratio = c.neighborSampleRatio();
        if (!(ratio >= 0 && ratio <= 1)) {
            problems.add("neighborSampleRatio=" + ratio + ": not from 0 to 1");
        }
        if (c.exportTimeoutMillis() < 1 || c.exportTimeoutMillis() > MAX_EXPORT_TIMEOUT_MILLIS) {
            problems.add("exportTimeoutMillis=" + c.exportTimeoutMillis() + ": not from 1 to " + MAX_EXPORT_TIMEOUT_MILLIS);
        }
        if (c.maxQueueSize() < 1 || c.maxQueueSize() > MAX_QUEUE_SIZE) {
            problems.add("maxQueueSize=" + c.maxQueueSize() + ": not from 1 to " + MAX_QUEUE_SIZE);
        }
        if (c.maxExportBatchSize() < 1 || c.maxExportBatchSize() > c.maxQueueSize()) {
            problems.add("maxExportBatchSize=" + c.maxExportBatchSize() + ": not from 1 to maxQueueSize ("
                    + c.maxQueueSize() + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new TracingSettings(endpoint, serviceName, ratio, c.exportTimeoutMillis(), c.maxQueueSize(),
                c.maxExportBatchSize());
    }

    private static java.util.Optional<String> endpointProblem(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            return java.util.Optional.of("not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return java.util.Optional.of("not an http or https URL");
        }
        if (uri.getHost() == null) {
            return java.util.Optional.of("no host");
        }
        return java.util.Optional.empty();
    }
}
