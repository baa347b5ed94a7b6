package net.neighsyncd.metrics.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.metrics.MeterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of the {@link MeterSource} services on one registry: a source's specs become
 * Micrometer meters when it is bound, and exactly those meters are removed when it is unbound.
 *
 * <p>A spec the registry will not export is skipped with one warning that names it, and the
 * source's other specs still register: its name and tags are already exported by someone else
 * (registering it would hand back their meter, which this class would then remove), the same
 * name is a meter of another kind, or Micrometer reports the registration as failed.
 */
final class SourceMeters {
    private static final Logger LOG = LoggerFactory.getLogger(SourceMeters.class);

    private final MeterRegistry registry;
    /**
     * Per bound source (by identity), its specs and the meters made of them. Held strongly:
     * Micrometer keeps only weak references to what its meters read.
     */
    private final Map<MeterSource, Bound> bound = new IdentityHashMap<>();
    /** Why Micrometer refused the registration running on this thread, if it did. */
    private final ThreadLocal<String> refusal = new ThreadLocal<>();

    private record Bound(List<MeterSpec> specs, List<Meter> meters) {
    }

    SourceMeters(MeterRegistry registry) {
        this.registry = registry;
        registry.config().onMeterRegistrationFailed((id, reason) -> {
            if (refusal.get() != null) {
                refusal.set(reason);
            }
        });
    }

    /** Registers the meters of {@code source}; a source already bound is left as it is. */
    synchronized void bind(MeterSource source) {
        bind(source, Tags.empty());
    }

    /**
     * Registers the meters of {@code source}, each with {@code common} besides its own tags (a
     * pipeline's {@code namespace}); a source already bound is left as it is.
     */
    synchronized void bind(MeterSource source, Tags common) {
        if (bound.containsKey(source)) {
            return;
        }
        List<MeterSpec> specs;
        try {
            specs = List.copyOf(source.meters());
        } catch (RuntimeException e) {
            LOG.warn("meters of {} not exported: its meters() failed: {}", source.getClass().getName(), e.toString());
            return;
        }
        List<Meter> meters = new ArrayList<>(specs.size());
        for (MeterSpec spec : specs) {
            Meter m = register(spec, source, common);
            if (m != null) {
                meters.add(m);
            }
        }
        bound.put(source, new Bound(specs, meters));
    }

    /** Removes the meters registered for {@code source}. */
    synchronized void unbind(MeterSource source) {
        Bound b = bound.remove(source);
        if (b != null) {
            b.meters().forEach(registry::remove);
        }
    }

    /** The meter made of {@code spec}, or {@code null} (after a warning) when it is not exported. */
    private Meter register(MeterSpec spec, MeterSource source, Tags common) {
        Tags tags = common;
        for (Map.Entry<String, String> t : spec.tags().entrySet()) {
            tags = tags.and(t.getKey(), t.getValue());
        }
        if (exists(spec.name(), tags)) {
            warn(spec, source, "a meter of that name and tags is already exported");
            return null;
        }
        refusal.set("");
        Meter m;
        String refused;
        try {
            m = meter(spec, tags);
        } catch (RuntimeException e) {
            warn(spec, source, e.getMessage());
            return null;
        } finally {
            refused = refusal.get();
            refusal.remove();
        }
        if (!refused.isEmpty()) {
            // Micrometer keeps a meter it could not export: it must not stay
            registry.remove(m);
            warn(spec, source, refused);
            return null;
        }
        return m;
    }

    private Meter meter(MeterSpec spec, Tags tags) {
        DoubleSupplier value = spec.value();
        return switch (spec.kind()) {
            case COUNTER -> FunctionCounter.builder(spec.name(), value, DoubleSupplier::getAsDouble)
                    .description(spec.description()).baseUnit(spec.baseUnit()).tags(tags).register(registry);
            case GAUGE -> Gauge.builder(spec.name(), value, DoubleSupplier::getAsDouble)
                    .description(spec.description()).baseUnit(spec.baseUnit()).tags(tags).register(registry);
        };
    }

    private boolean exists(String name, Tags tags) {
        return registry.find(name).tags(tags).meters().stream()
                .anyMatch(m -> Tags.of(m.getId().getTags()).equals(tags));
    }

    private static void warn(MeterSpec spec, MeterSource source, String why) {
        LOG.warn("meter {}{} of {} not exported: {}", spec.name(), spec.tags(), source.getClass().getName(), why);
    }
}
