package net.neighsyncd.api.tracing;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every batch a sink's writer handed to its sink, once the call has returned or failed.
 * Register it as a service; the engine binds one (the highest ranked) and calls it on the writer
 * thread of each sink, after each call of {@code NeighborSink.apply}. While none is registered the
 * writer builds no {@link WrittenBatch} at all.
 */
@ConsumerType
public interface BatchTracer {

    /**
     * One batch, written or failed ({@link WrittenBatch#failure()}). Called on the sink's writer
     * thread, between one sink call and the next: it must return quickly (hand the batch over, do
     * no I/O) and should not throw; an exception it throws is caught and logged, never stops the
     * writer.
     */
    void written(WrittenBatch batch);
}
