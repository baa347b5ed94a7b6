package net.neighsyncd.shell.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Services of one kind, one per pipeline, by namespace: what a command means when it names no
 * namespace is the only pipeline when one runs, else the host's.
 */
final class Pipelines<T> {
    private final Map<T, String> byService = new ConcurrentHashMap<>();

    void put(T service, Map<String, ?> props) {
        byService.put(service, net.neighsyncd.api.pipeline.Pipelines.namespaceOf(props));
    }

    void remove(T service) {
        byService.remove(service);
    }

    /** The service of {@code namespace} (null or empty: the only one, else the host's). */
    Optional<T> of(String namespace) {
        Map<T, String> now = Map.copyOf(byService);
        if ((namespace == null || namespace.isEmpty()) && now.size() == 1) {
            return Optional.of(now.keySet().iterator().next());
        }
        String ns = namespace == null ? net.neighsyncd.api.pipeline.Pipelines.HOST : namespace;
        return now.entrySet().stream().filter(e -> e.getValue().equals(ns)).map(Map.Entry::getKey).findFirst();
    }
}
