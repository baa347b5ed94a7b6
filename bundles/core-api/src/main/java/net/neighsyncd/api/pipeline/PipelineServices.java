package net.neighsyncd.api.pipeline;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The services of one kind that a consumer bound, each by the namespace of its pipeline: what a
 * component's dynamic multiple reference keeps (bind with the service properties, unbind), and
 * how an API finds the one a request names. Thread-safe.
 *
 * @param <S> the service type
 */
public final class PipelineServices<S> {
    private final Map<S, String> byService = new ConcurrentHashMap<>();

    /** Keeps {@code service} under the namespace its properties name (again on an update). */
    public void bind(S service, Map<String, ?> serviceProperties) {
        byService.put(service, Pipelines.namespaceOf(serviceProperties));
    }

    public void unbind(S service) {
        byService.remove(service);
    }

    /**
     * The namespace a request means: the one it names, or when it names none (null or empty), the
     * only pipeline's when one runs, else the host's.
     */
    public String namespaceFor(String requested) {
        if (requested == null || requested.isEmpty()) {
            Set<String> running = Set.copyOf(byService.values());
            return running.size() == 1 ? running.iterator().next() : Pipelines.HOST;
        }
        return requested;
    }

    /** The service of {@code namespace}; empty when that pipeline has none now. */
    public Optional<S> of(String namespace) {
        return byService.entrySet().stream().filter(e -> e.getValue().equals(namespace)).map(Map.Entry::getKey)
                .findFirst();
    }

    /** Every service, by namespace. */
    public SortedMap<String, S> all() {
        SortedMap<String, S> out = new TreeMap<>();
        byService.forEach((s, ns) -> out.put(ns, s));
        return out;
    }
}
