package net.neighsyncd.api.engine;

/**
 * What one sink's writer has done, monotonic since the engine's activation, and how it sizes
 * its calls now.
 *
 * @param writtenSet     sets the sink acknowledged
 * @param writtenDelete  deletes the sink acknowledged
 * @param errors         failed write batches (each is retried)
 * @param stateReads     read-backs of the store that repaired the applied view
 * @param batches        write batches acknowledged
 * @param batchChanges   changes those batches carried
 * @param applyMicros    time spent in acknowledged batches, microseconds
 * @param latency        end-to-end latency of the acknowledged changes
 * @param tuning         the batch limit and linger in force, and the AutoTuner's adjustments (since 1.1)
 */
public record WriterStats(long writtenSet, long writtenDelete, long errors, long stateReads, long batches,
        long batchChanges, long applyMicros, LatencyHistogram latency, WriteTuning tuning) {

    /** Without tuning figures ({@link WriteTuning#UNKNOWN}), as before 1.1. */
    public WriterStats(long writtenSet, long writtenDelete, long errors, long stateReads, long batches,
            long batchChanges, long applyMicros, LatencyHistogram latency) {
        this(writtenSet, writtenDelete, errors, stateReads, batches, batchChanges, applyMicros, latency,
                WriteTuning.UNKNOWN);
    }
}
