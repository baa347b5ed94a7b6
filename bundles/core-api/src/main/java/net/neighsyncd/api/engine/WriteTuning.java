package net.neighsyncd.api.engine;

/**
 * What a sink's writer decided last about the size and timing of its calls: with the AutoTuner
 * on, from the measured round trips and its queue against the configured latency target; with it
 * off, the fixed batch size and no linger.
 *
 * @param enabled      the AutoTuner decides (false: the fixed {@code maxBatch}, no linger)
 * @param batchLimit   most changes the writer hands to the sink in its next call
 * @param lingerMicros how long the writer waited for more changes before its last call, microseconds;
 *                     0 when it called at once
 * @param grown        times the AutoTuner raised the batch limit
 * @param shrunk       times the AutoTuner lowered it
 */
public record WriteTuning(boolean enabled, int batchLimit, long lingerMicros, long grown, long shrunk) {

    /** Nothing known: what a status built without tuning figures reports. */
    public static final WriteTuning UNKNOWN = new WriteTuning(false, 0, 0, 0, 0);
}
