package net.neighsyncd.api.pipeline;

import java.util.Map;
import java.util.regex.Pattern;

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

    /** What {@code ip netns} accepts as a name under /var/run/netns, {@code .} and {@code ..} aside. */
    private static final Pattern NAMESPACE_NAME = Pattern.compile("[A-Za-z0-9_.:@+-]{1,255}");

    private Pipelines() {
    }

    /** Whether {@code name} can name a namespace under /var/run/netns (never a path). */
    public static boolean isNamespaceName(String name) {
        return name != null && NAMESPACE_NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
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
