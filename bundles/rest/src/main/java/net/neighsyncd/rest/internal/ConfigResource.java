package net.neighsyncd.rest.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.health.Problem;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * {@code GET /api/v1/config}: the configuration in force of every neighsyncd component — each
 * PID's metatype defaults with what Config Admin holds on top, secrets redacted
 * ({@link ConfigRedaction}), and the problems the engines report for it (a rejected one).
 */
@Component(service = ConfigResource.class, scope = ServiceScope.PROTOTYPE)
@JakartarsResource
@JakartarsName("neighsyncd-config")
@JakartarsApplicationSelect(ApiApplication.SELECT)
@Path("config")
@Produces(MediaType.APPLICATION_JSON)
public final class ConfigResource {
    /** The PIDs shown: neighsyncd's own. */
    static final String PREFIX = "net.neighsyncd.";

    /** Every component's configuration (openapi.json: Config). */
    record ConfigDocument(List<ComponentConfig> components) {
    }

    /**
     * One configuration: a PID's, or one instance of a factory PID.
     *
     * @param source     {@code defaults} (nothing configured), or {@code configured}
     * @param file       the {@code etc/} file it was read from, when it was
     * @param properties the values in force, by key, secrets redacted
     * @param problems   what the engines report for this PID (a rejected configuration)
     */
    record ComponentConfig(String pid, String factoryPid, String name, String source, String file,
            Map<String, Object> properties, List<String> problems) {
    }

    private BundleContext context;

    @Reference
    Engines engines;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MetaTypeService metaType;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    @GET
    public ConfigDocument config() {
        ConfigurationAdmin ca = configAdmin;
        if (ca == null) {
            throw new ServiceUnavailableException("Config Admin is not running");
        }
        Map<String, ObjectClassDefinition> singletons = new TreeMap<>();
        Map<String, ObjectClassDefinition> factories = new TreeMap<>();
        definitions(singletons, factories);
        Map<String, List<String>> problems = problemsByComponent();
        List<ComponentConfig> out = new ArrayList<>();
        Configuration[] configured;
        try {
            configured = ca.listConfigurations(null);
        } catch (IOException | InvalidSyntaxException e) {
            throw new ServiceUnavailableException("Config Admin could not list its configurations");
        }
        Map<String, Configuration> byPid = new TreeMap<>();
        List<Configuration> factoryInstances = new ArrayList<>();
        for (Configuration c : configured == null ? new Configuration[0] : configured) {
            if (c.getFactoryPid() != null && c.getFactoryPid().startsWith(PREFIX)) {
                factoryInstances.add(c);
            } else if (c.getPid().startsWith(PREFIX)) {
                byPid.put(c.getPid(), c);
            }
        }
        java.util.Set<String> pids = new java.util.TreeSet<>(singletons.keySet());
        pids.addAll(byPid.keySet());
        for (String pid : pids) {
            ObjectClassDefinition ocd = singletons.get(pid);
            Configuration c = byPid.get(pid);
            out.add(entry(pid, null, ocd, c, problems));
        }
        factoryInstances.sort(java.util.Comparator.comparing(Configuration::getPid));
        for (Configuration c : factoryInstances) {
            out.add(entry(c.getPid(), c.getFactoryPid(), factories.get(c.getFactoryPid()), c, problems));
        }
        return new ConfigDocument(out);
    }

    private static ComponentConfig entry(String pid, String factoryPid, ObjectClassDefinition ocd, Configuration c,
            Map<String, List<String>> problems) {
        Map<String, Object> props = new TreeMap<>();
        if (ocd != null) {
            for (AttributeDefinition a : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                String[] d = a.getDefaultValue();
                props.put(a.getID(), d == null ? null : a.getCardinality() == 0 && d.length == 1 ? d[0] : List.of(d));
            }
        }
        String file = null;
        Dictionary<String, Object> configured = c == null ? null : c.getProperties();
        if (configured != null) {
            for (Enumeration<String> keys = configured.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                Object v = configured.get(k);
                if (k.equals("felix.fileinstall.filename")) {
                    file = String.valueOf(v);
                } else if (!k.equals(Constants.SERVICE_PID) && !k.equals("service.factoryPid")
                        && !k.equals("service.bundleLocation")) {
                    props.put(k, v != null && v.getClass().isArray() ? arrayAsList(v) : v);
                }
            }
        }
        props.replaceAll(ConfigRedaction::shown);
        String component = factoryPid == null ? pid : factoryPid;
        return new ComponentConfig(pid, factoryPid, ocd == null ? null : ocd.getName(),
                configured == null ? "defaults" : "configured", file, props,
                problems.getOrDefault(component, List.of()));
    }

    private static List<Object> arrayAsList(Object array) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < java.lang.reflect.Array.getLength(array); i++) {
            out.add(java.lang.reflect.Array.get(array, i));
        }
        return out;
    }

    /** The metatype definitions of neighsyncd's bundles, by PID and by factory PID. */
    private void definitions(Map<String, ObjectClassDefinition> singletons,
            Map<String, ObjectClassDefinition> factories) {
        MetaTypeService mts = metaType;
        BundleContext bc = context;
        if (mts == null || bc == null) {
            return;
        }
        for (Bundle b : bc.getBundles()) {
            String name = b.getSymbolicName();
            if (name == null || !name.startsWith(PREFIX)) {
                continue;
            }
            MetaTypeInformation info = mts.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            for (String pid : info.getPids()) {
                if (pid.startsWith(PREFIX)) {
                    singletons.put(pid, info.getObjectClassDefinition(pid, null));
                }
            }
            for (String pid : info.getFactoryPids()) {
                if (pid.startsWith(PREFIX)) {
                    factories.put(pid, info.getObjectClassDefinition(pid, null));
                }
            }
        }
    }

    /** The engines' health problems by the component they name. */
    private Map<String, List<String>> problemsByComponent() {
        Map<String, List<String>> out = new TreeMap<>();
        for (SyncEngine e : Engines.live(engines).engines().values()) {
            for (Problem p : e.status().problems()) {
                List<String> list = out.computeIfAbsent(p.component(), k -> new ArrayList<>());
                if (!list.contains(p.reason())) {
                    list.add(p.reason());
                }
            }
        }
        out.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return out;
    }
}
