package net.neighsyncd.core.internal;

import java.util.Map;
import net.neighsyncd.api.pipeline.Pipelines;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline's configuration ({@value Pipelines#FACTORY_PID}), described for the Web Console
 * and logged as it comes and goes. The pipeline's components (the netlink source, the APPL_DB
 * sink, the CONFIG_DB follower, the engine) each take it after their own PID; without any, one
 * pipeline serves the daemon's own namespace. This component only says so.
 */
@Component(service = PipelineConfiguration.class, immediate = true, configurationPid = Pipelines.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PipelineConfiguration.Config.class, factory = true)
public final class PipelineConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineConfiguration.class);

    @ObjectClassDefinition(id = Pipelines.FACTORY_PID, name = "neighsyncd pipeline",
            description = "One netlink source, sync engine and APPL_DB sink for one network namespace (one per ASIC "
                    + "on a multi-ASIC switch), with its own threads, health, metrics and warm-restart state. "
                    + "Without any pipeline configuration one pipeline serves the daemon's own namespace; with "
                    + "them, one per configuration. Keys set here win over the same keys of net.neighsyncd.netlink, "
                    + "net.neighsyncd.redis and net.neighsyncd.core.")
    public @interface Config {
        @AttributeDefinition(name = "Network namespace",
                description = "The namespace under /var/run/netns whose kernel neighbors this pipeline syncs "
                        + "(for example asic0); empty: the daemon's own.", required = false)
        String namespace() default "";

        @AttributeDefinition(name = "Redis URL",
                description = "The pipeline's APPL_DB as a URL (redis://host:port/db or unix:///path/redis.sock?db=N); "
                        + "wins over the database files. Empty: the databases SONiC keeps for the namespace.",
                required = false)
        String redisUrl() default "";

        @AttributeDefinition(name = "database_config.json",
                description = "The pipeline's database_config.json. Empty: the one database_global.json lists for "
                        + "the namespace (the host's default file for the daemon's own); a namespace it does not "
                        + "list is an error, never another namespace's databases.", required = false)
        String databaseConfig() default "";

        @AttributeDefinition(name = "Name hint", description = "How the Web Console names this configuration.")
        String webconsole_configurationFactory_nameHint() default "Pipeline {namespace}";
    }

    private String described;

    @Activate
    void activate(Map<String, Object> properties) {
        described = describe(properties);
        LOG.info("pipeline configured: {}", described);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        String next = describe(properties);
        if (!next.equals(described)) {
            LOG.info("pipeline reconfigured: {} -> {}", described, next);
            described = next;
        }
    }

    @Deactivate
    void deactivate() {
        LOG.info("pipeline removed: {}", described);
    }

    /** One line naming the namespace and where its databases are; a namespace that is no name says so. */
    static String describe(Map<String, Object> properties) {
        String ns = SyncEngineComponent.namespaceOf(properties);
        String where = text(properties, "redisUrl").isEmpty()
                ? text(properties, "databaseConfig").isEmpty() ? "databases SONiC keeps for it"
                        : "databaseConfig=" + text(properties, "databaseConfig")
                : "a Redis URL";
        String problem = ns.isEmpty() || Pipelines.isNamespaceName(ns) ? ""
                : " (not a namespace name: its source and sink reject it)";
        return "namespace " + Pipelines.display(ns) + problem + ", " + where + " (" + properties.get("service.pid") + ")";
    }

    private static String text(Map<String, Object> properties, String key) {
        Object v = properties.get(key);
        return v == null ? "" : v.toString().trim();
    }
}
