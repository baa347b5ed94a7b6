package net.neighsyncd.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.pipeline.Pipelines;

/**
 * The services of one kind the engine is offered by every pipeline, of which it uses those of its
 * own namespace: DS binds them all, and the engine picks. Safe from any thread.
 *
 * @param <T> the service type
 */
final class PipelineCandidates<T> {
    private final Map<T, String> offered = new LinkedHashMap<>();

    /** {@code service} is offered with these service properties (again: they changed). */
    synchronized void offer(T service, Map<String, ?> properties) {
        offered.remove(service);
        offered.put(service, Pipelines.namespaceOf(properties));
    }

    synchronized void withdraw(T service) {
        offered.remove(service);
    }

    /** The newest offered service of {@code namespace}, or null. */
    synchronized T pick(String namespace) {
        T chosen = null;
        for (Map.Entry<T, String> e : offered.entrySet()) {
            if (e.getValue().equals(namespace)) {
                chosen = e.getKey();
            }
        }
        return chosen;
    }

    /** Every offered service of {@code namespace}, oldest first. */
    synchronized List<T> all(String namespace) {
        List<T> out = new ArrayList<>();
        offered.forEach((s, ns) -> {
            if (ns.equals(namespace)) {
                out.add(s);
            }
        });
        return out;
    }
}
