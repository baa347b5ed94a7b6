package net.neighsyncd.stagetimer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import net.neighsyncd.api.profiling.Stage;
import net.neighsyncd.api.profiling.StageHistogram;

/**
 * The latency histogram of one {@link Stage}: fixed log-scale buckets (powers of two from
 * {@value #FIRST_BOUND_NANOS} ns to 2<sup>33</sup> ns, about 8.6 s), bumped without allocation or
 * lock, safe from any thread; {@link #snapshot} is the API's typed view.
 *
 * <p>A stage much shorter than reading the clock is sampled: the caller asks {@link #sample()}
 * before each execution and reads the clock only when it says so, so an execution not timed
 * costs one increment and one branch.
 *
 * <pre>{@code
 * boolean timed = recorder.sample();
 * long start = timed ? System.nanoTime() : 0;
 * ... the stage ...
 * if (timed) recorder.record(System.nanoTime() - start);
 * }</pre>
 */
public final class StageRecorder {
    /** The first bucket's upper bound: 2<sup>{@value #FIRST_SHIFT}</sup> ns. */
    static final int FIRST_SHIFT = 6;
    static final long FIRST_BOUND_NANOS = 1L << FIRST_SHIFT;
    /** Upper bounds 2<sup>6</sup> … 2<sup>33</sup> ns. */
    public static final int BOUNDS = 28;

    private final Stage stage;
    private final int sampleEvery;
    private final int sampleMask;
    /** Per bucket, not cumulative; the last one counts what lies above the last bound. */
    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS + 1);
    private final AtomicLong sumNanos = new AtomicLong();
    /** Executions asked about; racy when several threads share the recorder, which only shifts the sample. */
    private int executions;

    /**
     * @param stage       what is timed
     * @param sampleEvery time one execution in this many: a power of two, 1 to time every one
     */
    public StageRecorder(Stage stage, int sampleEvery) {
        if (sampleEvery < 1 || Integer.bitCount(sampleEvery) != 1) {
            throw new IllegalArgumentException("sampleEvery is a power of two, not " + sampleEvery);
        }
        this.stage = stage;
        this.sampleEvery = sampleEvery;
        this.sampleMask = sampleEvery - 1;
    }

    public Stage stage() {
        return stage;
    }

    /** Whether this execution is to be timed: every {@code sampleEvery}-th call says yes. */
    public boolean sample() {
        return (++executions & sampleMask) == 0;
    }

    /** One timed execution of {@code nanos} (a negative one, from a clock that went back, counts as 0). */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        buckets.getAndIncrement(bucket(n));
        sumNanos.getAndAdd(n);
    }

    /** The index of the first bucket whose bound {@code nanos} does not exceed; {@link #BOUNDS} above the last. */
    static int bucket(long nanos) {
        if (nanos <= FIRST_BOUND_NANOS) {
            return 0;
        }
        int ceilLog2 = 64 - Long.numberOfLeadingZeros(nanos - 1);
        return Math.min(ceilLog2 - FIRST_SHIFT, BOUNDS);
    }

    /** The upper bound of bucket {@code i}, in nanoseconds. */
    static long bound(int i) {
        return FIRST_BOUND_NANOS << i;
    }

    /** The counts now: cumulative per bound, as Prometheus wants them; the count includes what lies above the last bound. */
    public StageHistogram snapshot() {
        List<Long> bounds = new ArrayList<>(BOUNDS);
        List<Long> cumulative = new ArrayList<>(BOUNDS);
        long running = 0;
        for (int i = 0; i < BOUNDS; i++) {
            running += buckets.get(i);
            bounds.add(bound(i));
            cumulative.add(running);
        }
        long count = running + buckets.get(BOUNDS);
        return new StageHistogram(stage, bounds, cumulative, count, sumNanos.get(), sampleEvery);
    }
}
