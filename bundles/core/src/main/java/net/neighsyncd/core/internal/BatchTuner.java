package net.neighsyncd.core.internal;

import java.util.function.LongSupplier;

/**
 * The AutoTuner's control logic: how many waiting changes a writer hands to its sink in one call,
 * and how long it waits for more (linger) before the call, so that a change's wait in the outbox
 * plus the call's round trip stays under a latency target. Pure and deterministic: it reads only
 * the measurements it is given and the clock it is built with; one writer thread uses it.
 *
 * <p><b>The model.</b> A call with {@code n} changes is taken to cost {@code a + b·n}: a fixed part
 * {@code a} (the round trip itself, the script call) and a part per change {@code b}. Both are
 * fitted by least squares over the recent calls (decayed sums, {@link #SAMPLE_WEIGHT}). While the
 * recent calls all had about the same size the two cannot be told apart: the fixed part last fitted
 * is kept and the rest of the mean round trip is put on the changes (so a Redis that got slower per
 * change is seen at once); before any fit, half of the mean round trip is taken for each. Two calls
 * in a row that took more than {@link #STEP_FACTOR} times what the model expected, or less than
 * 1/{@link #STEP_FACTOR} of it, are a step change (Redis got slower, or faster again): the sums are
 * restarted from the newest call, so that a fit over both regimes cannot distort the fixed part. The
 * arrival rate is the changes taken per elapsed time between calls, decayed the same way.
 *
 * <p><b>The batch limit.</b> The <em>fit</em> is the largest batch whose round trip alone stays
 * under the target, {@code (target - a) / b}, within {@code [minBatch, maxBatch]}; when the fixed
 * part alone exceeds the target no batch size meets it, and the fit is {@code maxBatch} (as with
 * the AutoTuner off). A <em>backlog</em> is more waiting than one call takes, with the last of them
 * expected to miss the target ({@code waited + ⌈q/limit⌉·a + q·b > target}): the target is lost for
 * the tail of the queue, and only throughput brings it back, so the limit goes to
 * {@code maxBatch}, the fixed setting, at once (doubling toward it would put extra round trips on
 * the recovery from every pause: a young collection of 10 ms leaves 100 changes waiting at
 * 10,000/s). (A bound from the model, growing only while the fixed part of a call is a large share
 * of it, lost a third of the throughput in the end-to-end benchmark: the writer
 * measures its own round trip, not the CPU each extra call takes from the engine, the netlink reader
 * and Redis on the same cores.) Otherwise the limit doubles toward the fit while calls are full (more
 * wait than it, or the last call took as many), and halves toward it when it is above: a round trip
 * that grew past the target (a slower Redis) shrinks the batches. The limit starts at
 * {@code minBatch}.
 *
 * <p><b>The linger.</b> 0 unless the changes come fast enough that sending each alone would keep
 * the writer busy at least {@link #LINGER_BUSY_SHARE} of the time (then calls of a few changes
 * spend the CPU the sync path shares on fixed costs), the call is not full, and there is room
 * under the target: then half of the time that would take the expected latency (waited so far,
 * plus the linger, plus the round trip of what will have arrived) to the target, at most the time
 * to fill the batch and at most {@code maxLingerNanos}. So at low load, and whenever the round trip
 * leaves no room, the writer calls at once, as with the AutoTuner off.
 */
final class BatchTuner {
    /** Weight of the newest call in the decayed sums: the last eight or so calls count. */
    static final double SAMPLE_WEIGHT = 0.125;
    /** Linger only when sending each change alone would keep the writer busy this share of the time or more. */
    static final double LINGER_BUSY_SHARE = 0.5;
    /** A round trip this many times longer or shorter than expected is a surprise; two in a row, a step change. */
    static final double STEP_FACTOR = 2;
    /** Below this coefficient of variation of the batch sizes, fixed and per-change cost are not told apart. */
    private static final double MIN_SIZE_VARIATION = 0.1;

    /**
     * The bounds the tuner works in: {@code 1 <= minBatch <= maxBatch}, {@code targetNanos > 0},
     * {@code 0 <= maxLingerNanos < targetNanos} (a linger as long as the target would leave no time
     * for the call).
     */
    record Limits(int minBatch, int maxBatch, long targetNanos, long maxLingerNanos) {
        Limits {
            if (minBatch < 1 || maxBatch < minBatch) {
                throw new IllegalArgumentException("need 1 <= minBatch <= maxBatch: " + minBatch + ", " + maxBatch);
            }
            if (targetNanos <= 0 || maxLingerNanos < 0 || maxLingerNanos >= targetNanos) {
                throw new IllegalArgumentException(
                        "need 0 <= maxLingerNanos < targetNanos: " + maxLingerNanos + ", " + targetNanos);
            }
        }
    }

    /** Which way a decision moved the batch limit. */
    enum Adjustment {
        NONE, UP, DOWN
    }

    /** The next call: at most {@code batchLimit} changes, after waiting up to {@code lingerNanos} for more. */
    record Decision(int batchLimit, long lingerNanos, Adjustment adjustment) {
    }

    private final LongSupplier clock;
    private Limits limits;
    private int limit;
    private long grown;
    private long shrunk;

    // decayed sums over the calls: weight, Σn, Σd, Σn², Σn·d (n changes, d round trip in ns)
    private double sw;
    private double sn;
    private double sd;
    private double snn;
    private double snd;
    // decayed sums for the arrival rate: changes taken, nanoseconds elapsed between calls
    private double arrived;
    private double elapsed;
    private long lastCallAt;
    private boolean called;
    /** The last call took as many changes as the limit allowed (it may have lingered to fill it). */
    private boolean lastCallFull;
    // the model: fixed nanoseconds per call, nanoseconds per change; the fixed part last fitted (-1: none)
    private double fixedNanos;
    private double perChangeNanos;
    private double fittedFixedNanos = -1;
    /** The last call was a surprise: 1 slower, -1 faster than expected by {@link #STEP_FACTOR}, else 0. */
    private int lastSurprise;

    /** {@code clock}: nanoseconds, monotonic (the writer passes {@link System#nanoTime}, tests a fake). */
    BatchTuner(Limits limits, LongSupplier clock) {
        this.limits = limits;
        this.clock = clock;
        this.limit = limits.minBatch();
    }

    /** New bounds: what was learnt stays, the limit is brought within them. */
    void limits(Limits next) {
        limits = next;
        limit = Math.max(next.minBatch(), Math.min(next.maxBatch(), limit));
    }

    Limits limits() {
        return limits;
    }

    /** A call of {@code changes} changes came back after {@code roundTripNanos}. */
    void applied(int changes, long roundTripNanos) {
        if (changes <= 0) {
            return;
        }
        double keep = 1 - SAMPLE_WEIGHT;
        double n = changes;
        double d = Math.max(0, roundTripNanos);
        if (sw > 0) {
            double expected = fixedNanos + perChangeNanos * n;
            int surprise = d > STEP_FACTOR * expected ? 1 : d * STEP_FACTOR < expected ? -1 : 0;
            if (surprise != 0 && surprise == lastSurprise) {
                sw = 0;
                sn = 0;
                sd = 0;
                snn = 0;
                snd = 0;
                surprise = 0;
            }
            lastSurprise = surprise;
        }
        sw = sw * keep + SAMPLE_WEIGHT;
        sn = sn * keep + SAMPLE_WEIGHT * n;
        sd = sd * keep + SAMPLE_WEIGHT * d;
        snn = snn * keep + SAMPLE_WEIGHT * n * n;
        snd = snd * keep + SAMPLE_WEIGHT * n * d;
        long now = clock.getAsLong();
        if (called) {
            arrived = arrived * keep + SAMPLE_WEIGHT * n;
            elapsed = elapsed * keep + SAMPLE_WEIGHT * Math.max(1, now - lastCallAt);
        }
        called = true;
        lastCallAt = now;
        lastCallFull = changes >= limit;
        fit();
    }

    /**
     * Decides the next call: {@code waiting} changes wait, the oldest of them for {@code waitedNanos}.
     * Counts an adjustment of the limit.
     */
    Decision next(int waiting, long waitedNanos) {
        if (sw == 0) {
            return new Decision(limit, 0, Adjustment.NONE);
        }
        double a = fixedNanos;
        double b = perChangeNanos;
        long target = limits.targetNanos();
        int fit = fit(a, b);
        boolean full = waiting >= limit || lastCallFull;
        boolean backlog = waiting > limit
                && waitedNanos + Math.ceil((double) waiting / limit) * a + waiting * b > target;
        int next = limit;
        if (backlog && limit < limits.maxBatch()) {
            next = limits.maxBatch();
        } else if (full && limit < fit) {
            next = (int) Math.min(fit, 2L * limit);
        } else if (!backlog && limit > fit) {
            next = Math.max(fit, limit / 2);
        }
        Adjustment adjustment = Adjustment.NONE;
        if (next > limit) {
            grown++;
            adjustment = Adjustment.UP;
        } else if (next < limit) {
            shrunk++;
            adjustment = Adjustment.DOWN;
        }
        limit = next;
        long linger = waiting >= limit ? 0 : linger(waiting, waitedNanos, a, b);
        return new Decision(limit, linger, adjustment);
    }

    /** The limit in force. */
    int limit() {
        return limit;
    }

    long grown() {
        return grown;
    }

    long shrunk() {
        return shrunk;
    }

    /** Changes per nanosecond, as taken recently; 0 before two calls. */
    double arrivalRate() {
        return elapsed <= 0 ? 0 : arrived / elapsed;
    }

    /** The model {@code {a, b}}: fixed nanoseconds per call, nanoseconds per change; neither negative. */
    double[] cost() {
        return new double[] {fixedNanos, perChangeNanos};
    }

    /** Fits the model to the decayed sums (see the class comment). */
    private void fit() {
        double n = sn / sw;
        double d = sd / sw;
        double var = snn / sw - n * n;
        double cov = snd / sw - n * d;
        if (var > MIN_SIZE_VARIATION * MIN_SIZE_VARIATION * n * n && cov > 0) {
            double b = cov / var;
            double a = d - b * n;
            if (a < 0) {
                a = 0;
                b = d / n;
            }
            fixedNanos = a;
            perChangeNanos = b;
            fittedFixedNanos = a;
        } else if (fittedFixedNanos >= 0) {
            fixedNanos = Math.min(fittedFixedNanos, d);
            perChangeNanos = (d - fixedNanos) / n;
        } else {
            fixedNanos = d / 2;
            perChangeNanos = d / (2 * n);
        }
    }

    private int fit(double a, double b) {
        double room = limits.targetNanos() - a;
        if (room <= 0) {
            return limits.maxBatch();
        }
        double n = b <= 0 ? limits.maxBatch() : Math.floor(room / b);
        return (int) Math.max(limits.minBatch(), Math.min(limits.maxBatch(), n));
    }

    private long linger(int waiting, long waitedNanos, double a, double b) {
        double rate = arrivalRate();
        if (limits.maxLingerNanos() == 0 || rate <= 0 || rate * (a + b) < LINGER_BUSY_SHARE) {
            return 0;
        }
        // waited + L + a + b·(waiting + rate·L) <= target, solved for L, then half of it
        double room = limits.targetNanos() - waitedNanos - a - b * waiting;
        double linger = room / (1 + rate * b) / 2;
        double toFill = (limit - waiting) / rate;
        return (long) Math.max(0, Math.min(Math.min(linger, toFill), limits.maxLingerNanos()));
    }
}
