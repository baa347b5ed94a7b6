package net.neighsyncd.alerting.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import net.neighsyncd.alerting.internal.RuleSpec.Aggregation;
import net.neighsyncd.alerting.internal.RuleSpec.Condition;
import net.neighsyncd.api.alerting.Alert;
import net.neighsyncd.api.alerting.Alert.State;

/**
 * The state of one rule: inactive → pending → firing → resolved, with the hysteresis that keeps a
 * value hovering at the threshold from flapping. Not thread-safe: the engine's evaluation thread
 * owns it.
 */
final class RuleState {
    private RuleSpec spec;
    private State state = State.INACTIVE;
    private long enteredMillis;
    private Instant since;
    private double value = Double.NaN;
    /** Raw samples of a rate's counter. */
    private final Window counter = new Window();
    /** Values whose slope a rate_of_change compares. */
    private final Window values = new Window();
    /** A mean's total-time samples; its counts are in {@link #counter}. */
    private final Window totals = new Window();

    RuleState(RuleSpec spec, Instant now) {
        this.spec = spec;
        this.since = now;
    }

    RuleSpec spec() {
        return spec;
    }

    /** A new configuration of the same rule: the state stays, the samples go when the series changed. */
    void reconfigure(RuleSpec next) {
        if (!spec.sameSeries(next)) {
            counter.clear();
            values.clear();
            totals.clear();
        }
        spec = next;
    }

    State state() {
        return state;
    }

    Alert snapshot() {
        return new Alert(spec.name(), state, spec.severity(), spec.labels(), spec.description(), value, since);
    }

    /**
     * Feeds the meter's raw value ({@code NaN} when there is none) read at {@code nowMillis}
     * (monotonic) / {@code wallNow}; returns the alert to notify when the rule moved to
     * FIRING or RESOLVED, else null.
     */
    Alert evaluate(double raw, long nowMillis, Instant wallNow) {
        return step(aggregate(raw, nowMillis), nowMillis, wallNow);
    }

    /**
     * Feeds a timer's (or summary's) running total and count for the {@code mean} aggregation:
     * the value is the mean of what was recorded within the window, NaN when nothing was.
     */
    Alert evaluateMean(double total, double count, long nowMillis, Instant wallNow) {
        double v = Double.NaN;
        if (Double.isNaN(total) || Double.isNaN(count)) {
            counter.clear();
            totals.clear();
        } else {
            if (!counter.isEmpty() && count < counter.last()) {
                counter.clear(); // a reset (the engine restarted)
                totals.clear();
            }
            long windowMillis = spec.windowSeconds() * 1000L;
            counter.add(nowMillis, count, windowMillis);
            totals.add(nowMillis, total, windowMillis);
            double recorded = counter.delta();
            v = recorded > 0 ? totals.delta() / recorded : Double.NaN;
        }
        return step(ofChange(v, nowMillis), nowMillis, wallNow);
    }

    private Alert step(double v, long nowMillis, Instant wallNow) {
        value = v;
        if (Double.isNaN(v)) {
            // no data: a pending rule starts again, a firing one is not resolved without evidence
            if (state == State.PENDING) {
                move(State.INACTIVE, nowMillis, wallNow);
            }
            return null;
        }
        switch (state) {
            case INACTIVE, RESOLVED -> {
                if (triggered(v)) {
                    move(State.PENDING, nowMillis, wallNow);
                    if (spec.forSeconds() == 0) {
                        move(State.FIRING, nowMillis, wallNow);
                        return snapshot();
                    }
                }
                return null;
            }
            case PENDING -> {
                if (!holds(v)) {
                    move(State.INACTIVE, nowMillis, wallNow);
                } else if (nowMillis - enteredMillis >= spec.forSeconds() * 1000L) {
                    move(State.FIRING, nowMillis, wallNow);
                    return snapshot();
                }
                return null;
            }
            case FIRING -> {
                if (!holds(v)) {
                    move(State.RESOLVED, nowMillis, wallNow);
                    return snapshot();
                }
                return null;
            }
            default -> throw new IllegalStateException(state.toString());
        }
    }

    private void move(State next, long nowMillis, Instant wallNow) {
        state = next;
        enteredMillis = nowMillis;
        since = wallNow;
    }

    /** The condition as it starts a rule: past the threshold. */
    boolean triggered(double v) {
        return switch (spec.condition()) {
            case ABOVE, RATE_OF_CHANGE -> v > spec.threshold();
            case BELOW -> v < spec.threshold();
            case BETWEEN -> v >= spec.threshold() && v <= spec.threshold2();
        };
    }

    /** The condition as it keeps a rule pending or firing: cleared only once back past the threshold by the hysteresis. */
    boolean holds(double v) {
        double h = spec.hysteresis();
        return switch (spec.condition()) {
            case ABOVE, RATE_OF_CHANGE -> v > spec.threshold() - h;
            case BELOW -> v < spec.threshold() + h;
            case BETWEEN -> v >= spec.threshold() - h && v <= spec.threshold2() + h;
        };
    }

    private double aggregate(double raw, long nowMillis) {
        long windowMillis = spec.windowSeconds() * 1000L;
        double v = raw;
        if (spec.aggregation() == Aggregation.RATE) {
            if (Double.isNaN(raw)) {
                counter.clear();
                v = Double.NaN;
            } else {
                if (!counter.isEmpty() && raw < counter.last()) {
                    counter.clear(); // a counter reset (the engine restarted)
                }
                counter.add(nowMillis, raw, windowMillis);
                v = counter.slopePerSecond();
            }
        }
        return ofChange(v, nowMillis);
    }

    /** The value itself, or for a rate_of_change its slope over the window. */
    private double ofChange(double v, long nowMillis) {
        long windowMillis = spec.windowSeconds() * 1000L;
        if (spec.condition() == Condition.RATE_OF_CHANGE) {
            if (Double.isNaN(v)) {
                values.clear();
                return Double.NaN;
            }
            values.add(nowMillis, v, windowMillis);
            return values.slopePerSecond();
        }
        return v;
    }

    /** Samples of the last window, oldest first. */
    private static final class Window {
        private final Deque<double[]> samples = new ArrayDeque<>();

        void clear() {
            samples.clear();
        }

        boolean isEmpty() {
            return samples.isEmpty();
        }

        double last() {
            return samples.peekLast()[1];
        }

        void add(long nowMillis, double v, long windowMillis) {
            samples.addLast(new double[] {nowMillis, v});
            while (samples.size() > 2 && samples.peekFirst()[0] < nowMillis - windowMillis) {
                samples.removeFirst();
            }
        }

        /** last - first; NaN with fewer than two samples. */
        double delta() {
            if (samples.size() < 2) {
                return Double.NaN;
            }
            return samples.peekLast()[1] - samples.peekFirst()[1];
        }

        /** (last - first) / elapsed seconds; NaN with fewer than two samples. */
        double slopePerSecond() {
            if (samples.size() < 2) {
                return Double.NaN;
            }
            double[] first = samples.peekFirst();
            double[] last = samples.peekLast();
            double seconds = (last[0] - first[0]) / 1000.0;
            return seconds <= 0 ? Double.NaN : (last[1] - first[1]) / seconds;
        }
    }
}
