package net.neighsyncd.vrf.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.pipeline.Pipelines;
import net.neighsyncd.api.vrf.VrfBindingSource;
import net.neighsyncd.api.vrf.VrfResolver;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The VRF manager bundle's component: one {@link VrfManager} per namespace that a
 * {@link VrfBindingSource} names ({@value Pipelines#NAMESPACE_PROPERTY}, the host's when it names
 * none), each registered as that namespace's {@link VrfResolver}. A namespace's sources never
 * count for another's bindings: {@code Ethernet0} of asic0 and of asic1 are two interfaces.
 */
@Component(service = {}, immediate = true)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"net.neighsyncd.api.vrf.VrfResolver\"",
        uses = VrfResolver.class)
public class VrfManagers {
    private record PerNamespace(VrfManager manager, ServiceRegistration<?> registration) {
    }

    private final Object lock = new Object();
    private final Map<String, PerNamespace> byNamespace = new HashMap<>();
    /** Each bound source and the namespace it was bound under. */
    private final Map<VrfBindingSource, String> sources = new HashMap<>();
    /** Bound before activation: followed once the context is known. */
    private final List<Map.Entry<VrfBindingSource, String>> early = new ArrayList<>();
    private BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        List<Map.Entry<VrfBindingSource, String>> pending;
        synchronized (lock) {
            context = bundleContext;
            pending = new ArrayList<>(early);
            early.clear();
        }
        pending.forEach(e -> follow(e.getKey(), e.getValue()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedSource")
    void bindSource(VrfBindingSource source, Map<String, Object> props) {
        String ns = Pipelines.namespaceOf(props);
        synchronized (lock) {
            if (context == null) {
                early.add(Map.entry(source, ns));
                return;
            }
        }
        follow(source, ns);
    }

    /** A source's namespace changed: it moves to that namespace's manager. */
    void updatedSource(VrfBindingSource source, Map<String, Object> props) {
        String ns = Pipelines.namespaceOf(props);
        synchronized (lock) {
            if (ns.equals(sources.get(source))) {
                return;
            }
        }
        unbindSource(source);
        bindSource(source, props);
    }

    void unbindSource(VrfBindingSource source) {
        PerNamespace emptied = null;
        synchronized (lock) {
            early.removeIf(e -> e.getKey() == source);
            String ns = sources.remove(source);
            PerNamespace p = ns == null ? null : byNamespace.get(ns);
            if (p == null) {
                return;
            }
            if (!p.manager().unbindSource(source)) {
                byNamespace.remove(ns);
                emptied = p;
            }
        }
        if (emptied != null) {
            unregister(emptied);
        }
    }

    private void follow(VrfBindingSource source, String ns) {
        // under the lock throughout: an unbind of the namespace's other source must not see it
        // empty and close the manager between its creation and this source's binding
        synchronized (lock) {
            PerNamespace p;
            sources.put(source, ns);
            p = byNamespace.get(ns);
            if (p == null) {
                VrfManager m = new VrfManager("VRFs of " + Pipelines.display(ns));
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(Pipelines.NAMESPACE_PROPERTY, ns);
                props.put("service.description", "neighsyncd VRF bindings (" + Pipelines.display(ns) + ")");
                p = new PerNamespace(m, context.registerService(VrfResolver.class, m, props));
                byNamespace.put(ns, p);
            }
            p.manager().bindSource(source);
        }
    }

    @Deactivate
    void deactivate() {
        List<PerNamespace> all;
        synchronized (lock) {
            all = new ArrayList<>(byNamespace.values());
            byNamespace.clear();
            sources.clear();
            context = null;
        }
        all.forEach(VrfManagers::unregister);
    }

    private static void unregister(PerNamespace p) {
        try {
            p.registration().unregister();
        } catch (IllegalStateException e) {
            // gone with the bundle
        }
        p.manager().close();
    }
}
