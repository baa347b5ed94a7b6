package net.neighsyncd.core.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.neighsyncd.api.engine.NeighborFilter;

/**
 * The vendor filters bound now, in the order they apply: highest {@code service.ranking} first,
 * then the oldest service (lowest {@code service.id}). Safe to change from DS threads while the
 * engine thread reads {@link #ordered}.
 */
final class RankedFilters {
    private record Binding(NeighborFilter filter, int ranking, long serviceId) {
    }

    private final List<Binding> bindings = new CopyOnWriteArrayList<>();

    /** A filter came, or its service properties changed. */
    void put(NeighborFilter filter, Map<String, Object> props) {
        bindings.removeIf(b -> b.filter() == filter);
        Object ranking = props.get("service.ranking");
        bindings.add(new Binding(filter, ranking instanceof Integer r ? r : 0,
                ((Number) props.get("service.id")).longValue()));
    }

    void remove(NeighborFilter filter) {
        bindings.removeIf(b -> b.filter() == filter);
    }

    List<NeighborFilter> ordered() {
        return bindings.stream()
                .sorted(Comparator.comparingInt(Binding::ranking).reversed().thenComparingLong(Binding::serviceId))
                .map(Binding::filter).toList();
    }
}
