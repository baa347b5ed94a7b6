package net.neighsyncd.api.pipeline;

import java.util.Map;

/**
 * The names pipelines are configured and found by. A pipeline is the network namespace it
 * serves: the source, the engine and the sinks of one namespace meet through services whose
 * {@link #NAMESPACE_PROPERTY} names it, and a service without the property belongs to the
 * daemon's own namespace, {@link #HOST}.
 */
public final class Pipelines {
    /**
     * The factory PID of a pipeline's configuration: {@code namespace} and, optionally, where its
     * databases are ({@code redisUrl}, {@code databaseConfig}). Every pipeline component takes it
     * after its own PID, so its keys win over the component's own.
     */
    public static final String FACTORY_PID = "net.neighsyncd.pipeline";

    /** Service property: the network namespace of the pipeline a service belongs to. */
    public static final String NAMESPACE_PROPERTY = "neighsyncd.namespace";

    /** The daemon's own network namespace, as SONiC names the host's: the empty name. */
    public static final String HOST = "";

    private Pipelines() {
    }

    /** The namespace named by a service's properties: {@link #HOST} when they name none. */
    public static String namespaceOf(Map<String, ?> serviceProperties) {
        Object value = serviceProperties == null ? null : serviceProperties.get(NAMESPACE_PROPERTY);
        return value == null ? HOST : value.toString();
    }

    /** Whether a service with these properties belongs to the pipeline of {@code namespace}. */
    public static boolean belongsTo(Map<String, ?> serviceProperties, String namespace) {
        return namespaceOf(serviceProperties).equals(namespace);
    }

    /** How a namespace is shown in logs and health: its name, or {@code host} for the daemon's own. */
    public static String display(String namespace) {
        return namespace == null || namespace.isEmpty() ? "host" : namespace;
    }
}
