package net.neighsyncd.alerting.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import net.neighsyncd.api.alerting.Alert;
import net.neighsyncd.api.alerting.Alert.Severity;
import net.neighsyncd.api.alerting.Alert.State;
import net.neighsyncd.api.alerting.AlertNotifier;
import net.neighsyncd.api.alerting.AlertService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules on one scheduler thread against the meters of the Micrometer
 * registry service, keeps each rule's state, tells the notifiers (on a thread of their own) of
 * every move to FIRING and to RESOLVED, and publishes {@code neighsyncd.alerts.firing} by
 * severity into the same registry. While no registry is registered the rules are not evaluated.
 */
@Component(service = {AlertService.class, AlertEngine.class}, immediate = true)
public final class AlertEngine implements AlertService {
    static final String FIRING_GAUGE = "neighsyncd.alerts.firing";
    /**
     * Evaluations done, one counter per rule (tag {@code rule}): it advances after each
     * evaluation's state is in {@link #active()} and in the firing gauge, so a reader that sees
     * it advance by n knows n evaluations' outcomes are there to read.
     */
    static final String EVALUATIONS_COUNTER = "neighsyncd.alerts.evaluations";
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);

    private final ScheduledExecutorService evaluator;
    private final ExecutorService notifying;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final Map<Object, Entry> rules = new ConcurrentHashMap<>();
    private final List<AlertNotifier> notifiers = new CopyOnWriteArrayList<>();
    private volatile MeterRegistry registry;
    private List<Meter> gauges = List.of();

    /**
     * One rule: its state (evaluation thread only), its schedule and its last snapshot (any
     * thread), its evaluations done (any thread) and their counter as published (evaluation
     * thread only).
     */
    private static final class Entry {
        final RuleState state;
        ScheduledFuture<?> schedule;
        volatile Alert snapshot;
        final AtomicLong evaluations = new AtomicLong();
        Meter evaluationsMeter;
        MeterRegistry evaluationsIn;

        Entry(RuleState state) {
            this.state = state;
            this.snapshot = state.snapshot();
        }
    }

    public AlertEngine() {
        this(Executors.newSingleThreadScheduledExecutor(named("neighsyncd-alert-eval")),
                Executors.newSingleThreadExecutor(named("neighsyncd-alert-notify")), System::nanoTime,
                Clock.systemUTC());
    }

    /**
     * An engine that evaluates on {@code evaluator}, notifies on {@code notifying} (both single
     * threaded, or run by hand by one thread), reads the monotonic time (nanoseconds) from
     * {@code nanoTime} and the wall-clock time of transitions from {@code clock}; for tests.
     */
    AlertEngine(ScheduledExecutorService evaluator, ExecutorService notifying, LongSupplier nanoTime, Clock clock) {
        this.evaluator = evaluator;
        this.notifying = notifying;
        this.nanoTime = nanoTime;
        this.clock = clock;
    }

    @Activate
    void activate() {
        LOG.info("alerting engine active");
    }

    @Deactivate
    void deactivate() {
        evaluator.shutdownNow();
        notifying.shutdown();
        try {
            evaluator.awaitTermination(2, TimeUnit.SECONDS);
            notifying.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Entry e : rules.values()) {
            unpublishEvaluations(e);
        }
        synchronized (this) {
            removeGauges();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindRegistry(MeterRegistry r) {
        removeGauges();
        registry = r;
        List<Meter> g = new ArrayList<>();
        for (Severity s : Severity.values()) {
            g.add(Gauge.builder(FIRING_GAUGE, this, e -> e.count(State.FIRING, s))
                    .description("Alert rules firing, by severity").tag("severity", s.label()).register(r));
        }
        gauges = g;
    }

    synchronized void unbindRegistry(MeterRegistry r) {
        if (registry == r) {
            removeGauges();
            registry = null;
        }
        try {
            // on the evaluation thread, after any evaluation that still counts into r
            evaluator.execute(() -> {
                for (Entry e : rules.values()) {
                    if (e.evaluationsIn == r) {
                        unpublishEvaluations(e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivating: deactivate() removes them
        }
    }

    private void removeGauges() {
        MeterRegistry r = registry;
        if (r != null) {
            for (Meter m : gauges) {
                try {
                    r.remove(m);
                } catch (RuntimeException e) {
                    // a closed registry
                }
            }
        }
        gauges = List.of();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindNotifier(AlertNotifier n) {
        notifiers.add(n);
    }

    void unbindNotifier(AlertNotifier n) {
        notifiers.remove(n);
    }

    /** Adds the rule {@code key} or reconfigures it, keeping its state. */
    void put(Object key, RuleSpec spec) {
        evaluator.execute(() -> {
            Entry e = rules.get(key);
            if (e == null) {
                e = new Entry(new RuleState(spec, clock.instant()));
                rules.put(key, e);
            } else {
                e.schedule.cancel(false);
                e.state.reconfigure(spec);
                e.snapshot = e.state.snapshot();
            }
            Entry entry = e;
            e.schedule = evaluator.scheduleWithFixedDelay(() -> evaluate(entry), 0, spec.intervalMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    /** Removes the rule {@code key}; a firing rule is notified as resolved. */
    void remove(Object key) {
        try {
            evaluator.execute(() -> {
                Entry e = rules.remove(key);
                if (e != null) {
                    e.schedule.cancel(false);
                    unpublishEvaluations(e);
                    if (e.state.state() == State.FIRING) {
                        Alert a = e.snapshot;
                        notifyAll(new Alert(a.rule(), State.RESOLVED, a.severity(), a.labels(), a.description(),
                                a.value(), clock.instant()));
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the engine is going away as well
        }
    }

    private void evaluate(Entry e) {
        try {
            MeterRegistry r = registry;
            if (r == null) {
                return;
            }
            long nowMillis = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong());
            Instant wallNow = clock.instant();
            Alert transition;
            if (e.state.spec().aggregation() == RuleSpec.Aggregation.MEAN) {
                double[] totalAndCount = readTotalAndCount(r, e.state.spec());
                transition = e.state.evaluateMean(totalAndCount[0], totalAndCount[1], nowMillis, wallNow);
            } else {
                transition = e.state.evaluate(read(r, e.state.spec()), nowMillis, wallNow);
            }
            e.snapshot = e.state.snapshot();
            e.evaluations.incrementAndGet();
            publishEvaluations(r, e);
            if (transition != null) {
                notifyAll(transition);
            }
        } catch (RuntimeException ex) {
            LOG.warn("alert rule {}: evaluation failed: {}", e.state.spec().name(), ex.toString());
        }
    }

    /** Publishes the rule's evaluation counter in {@code r} under its current name, unless it is there. */
    private static void publishEvaluations(MeterRegistry r, Entry e) {
        String name = e.state.spec().name();
        if (e.evaluationsMeter != null && e.evaluationsIn == r && name.equals(e.evaluationsMeter.getId().getTag("rule"))) {
            return;
        }
        unpublishEvaluations(e);
        e.evaluationsMeter = FunctionCounter.builder(EVALUATIONS_COUNTER, e.evaluations, AtomicLong::get)
                .description("Alert rule evaluations done").tag("rule", name).register(r);
        e.evaluationsIn = r;
    }

    private static void unpublishEvaluations(Entry e) {
        if (e.evaluationsMeter != null) {
            try {
                e.evaluationsIn.remove(e.evaluationsMeter);
            } catch (RuntimeException ex) {
                // a closed registry
            }
            e.evaluationsMeter = null;
            e.evaluationsIn = null;
        }
    }

    private void notifyAll(Alert a) {
        try {
            notifying.execute(() -> {
                for (AlertNotifier n : notifiers) {
                    try {
                        n.notify(a);
                    } catch (RuntimeException ex) {
                        LOG.warn("alert notifier {} failed on {} {}: {}", n.getClass().getName(), a.rule(), a.state(),
                                ex.toString());
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            // deactivating
        }
    }

    /**
     * The matching meters' value; NaN when none matches. Meters of one pipeline (one
     * {@code namespace} tag, or none) are added up; of several pipelines, the one that fares worst
     * counts ({@code above}: the largest, {@code below}: the smallest, else their sum), so that one
     * pipeline's trouble is never averaged away by a healthy other. A rate is taken of the sum:
     * the worst pipeline's counter may change hands, the sum never goes back.
     */
    static double read(MeterRegistry r, RuleSpec spec) {
        List<io.micrometer.core.instrument.Tag> tags = new ArrayList<>();
        spec.tags().forEach((k, v) -> tags.add(io.micrometer.core.instrument.Tag.of(k, v)));
        Collection<Meter> meters = r.find(spec.meter()).tags(tags).meters();
        if (meters.isEmpty()) {
            return Double.NaN;
        }
        Map<String, Double> byPipeline = new java.util.TreeMap<>();
        for (Meter m : meters) {
            String ns = m.getId().getTag(NAMESPACE_TAG);
            byPipeline.merge(ns == null ? "" : ns, value(m), Double::sum);
        }
        java.util.stream.DoubleStream values = byPipeline.values().stream().mapToDouble(Double::doubleValue);
        if (spec.aggregation() != RuleSpec.Aggregation.VALUE) {
            return values.sum();
        }
        return switch (spec.condition()) {
            case ABOVE -> values.max().orElse(Double.NaN);
            case BELOW -> values.min().orElse(Double.NaN);
            default -> values.sum();
        };
    }

    /** The tag naming a pipeline's network namespace on its meters (the metrics bundle's). */
    static final String NAMESPACE_TAG = "namespace";

    /**
     * The summed total (seconds for timers) and count of the matching timers and distribution
     * summaries, for the mean aggregation; NaNs when none matches.
     */
    static double[] readTotalAndCount(MeterRegistry r, RuleSpec spec) {
        List<io.micrometer.core.instrument.Tag> tags = new ArrayList<>();
        spec.tags().forEach((k, v) -> tags.add(io.micrometer.core.instrument.Tag.of(k, v)));
        double total = 0;
        double count = 0;
        boolean found = false;
        for (Meter m : r.find(spec.meter()).tags(tags).meters()) {
            if (m instanceof Timer t) {
                total += t.totalTime(TimeUnit.SECONDS);
                count += t.count();
            } else if (m instanceof FunctionTimer t) {
                total += t.totalTime(TimeUnit.SECONDS);
                count += t.count();
            } else if (m instanceof DistributionSummary d) {
                total += d.totalAmount();
                count += d.count();
            } else {
                continue;
            }
            found = true;
        }
        return found ? new double[] {total, count} : new double[] {Double.NaN, Double.NaN};
    }

    /** A gauge's value, a counter's count, a timer's or summary's mean (seconds), else the first measurement. */
    static double value(Meter m) {
        if (m instanceof TimeGauge g) {
            return g.value(TimeUnit.SECONDS);
        } else if (m instanceof Gauge g) {
            return g.value();
        } else if (m instanceof Counter c) {
            return c.count();
        } else if (m instanceof FunctionCounter c) {
            return c.count();
        } else if (m instanceof Timer t) {
            return t.mean(TimeUnit.SECONDS);
        } else if (m instanceof FunctionTimer t) {
            return t.mean(TimeUnit.SECONDS);
        } else if (m instanceof DistributionSummary s) {
            return s.mean();
        } else if (m instanceof LongTaskTimer t) {
            return t.activeTasks();
        }
        for (Measurement x : m.measure()) {
            return x.getValue();
        }
        return Double.NaN;
    }

    private double count(State state, Severity severity) {
        int n = 0;
        for (Entry e : rules.values()) {
            Alert a = e.snapshot;
            if (a.state() == state && a.severity() == severity) {
                n++;
            }
        }
        return n;
    }

    @Override
    public List<Alert> active() {
        List<Alert> out = new ArrayList<>();
        for (Entry e : rules.values()) {
            Alert a = e.snapshot;
            if (a.state() == State.PENDING || a.state() == State.FIRING) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparing(Alert::rule));
        return out;
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
