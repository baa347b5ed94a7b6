package net.neighsyncd.redis.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.pipeline.Pipelines;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The services one component offers to its pipeline, each registered with the pipeline's
 * namespace as {@value Pipelines#NAMESPACE_PROPERTY}, which follows the configuration. A
 * component registers them itself because DS cannot derive a service property from another
 * configuration key. Not thread-safe: the component calls it under its own lock.
 */
final class PipelineServices {
    private record Offered(String[] names, Object service, Map<String, Object> fixed) {
    }

    private final BundleContext context;
    private final List<Offered> offered = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private String namespace;

    /** {@code context} may be null (a unit test): then nothing is registered. */
    PipelineServices(BundleContext context, String namespace) {
        this.context = context;
        this.namespace = namespace;
    }

    /** Offers {@code service} under {@code names} with {@code fixed} properties besides the namespace. */
    PipelineServices offer(Object service, Map<String, Object> fixed, Class<?>... names) {
        String[] n = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            n[i] = names[i].getName();
        }
        offered.add(new Offered(n, service, fixed));
        return this;
    }

    /** Registers everything offered. */
    void register() {
        if (context == null) {
            return;
        }
        for (Offered o : offered) {
            registrations.add(context.registerService(o.names(), o.service(), properties(o)));
        }
    }

    /** The pipeline's namespace changed: every registration says so. */
    void namespace(String next) {
        if (next.equals(namespace)) {
            return;
        }
        namespace = next;
        for (int i = 0; i < registrations.size(); i++) {
            registrations.get(i).setProperties(properties(offered.get(i)));
        }
    }

    void unregister() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
        }
        registrations.clear();
    }

    private Dictionary<String, Object> properties(Offered o) {
        Hashtable<String, Object> p = new Hashtable<>(o.fixed());
        p.put(Pipelines.NAMESPACE_PROPERTY, namespace);
        return p;
    }
}
