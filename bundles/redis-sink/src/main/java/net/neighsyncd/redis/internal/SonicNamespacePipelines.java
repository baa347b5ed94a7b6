package net.neighsyncd.redis.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.pipeline.Pipelines;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a multi-ASIC switch, one pipeline per namespace {@code database_global.json} lists, made when
 * no pipeline is configured otherwise: a {@value Pipelines#FACTORY_PID} configuration per
 * namespace, marked as made here ({@value #ORIGIN_PROPERTY}), naming that namespace's
 * {@code database_config.json}. A namespace the file no longer lists loses its pipeline; a
 * pipeline an operator configured (without the mark) makes this component leave every pipeline
 * alone. The file is read at activation and at each change of {@value RedisSettings#PID}.
 */
@Component(service = {}, immediate = true, configurationPid = RedisSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class SonicNamespacePipelines {
    /** Marks a pipeline configuration made from database_global.json; its value is the file. */
    static final String ORIGIN_PROPERTY = "neighsyncd.pipeline.origin";
    private static final Logger LOG = LoggerFactory.getLogger(SonicNamespacePipelines.class);

    private final ConfigurationAdmin admin;

    @Activate
    public SonicNamespacePipelines(@Reference ConfigurationAdmin admin, Map<String, Object> properties) {
        this.admin = admin;
        follow(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        follow(properties);
    }

    private void follow(Map<String, Object> properties) {
        RedisSettings settings = RedisSettings.fromOrLog(properties, LOG);
        if (settings == null) {
            return;
        }
        try {
            sync(settings.databaseGlobalConfig());
        } catch (IOException | InvalidSyntaxException | IllegalArgumentException e) {
            LOG.error("pipelines from {} not made: {}", settings.databaseGlobalConfig(), e.getMessage());
        }
    }

    /** Makes the configurations the file asks for and removes those it no longer does. */
    synchronized void sync(Path global) throws IOException, InvalidSyntaxException {
        if (!Files.exists(global)) {
            // not (yet) there: no switch of several namespaces, or SONiC has not written it yet;
            // the pipelines made from it earlier stay
            return;
        }
        Map<String, Path> listed = new HashMap<>();
        DatabaseGlobalConfig.namespaces(global).forEach((ns, file) -> {
            if (!ns.isEmpty()) {
                listed.put(ns, file);
            }
        });
        Map<String, Configuration> made = new HashMap<>();
        List<Configuration> operators = new ArrayList<>();
        Configuration[] existing = admin.listConfigurations("(service.factoryPid=" + Pipelines.FACTORY_PID + ")");
        for (Configuration c : existing == null ? new Configuration[0] : existing) {
            Dictionary<String, Object> p = c.getProperties();
            if (p != null && p.get(ORIGIN_PROPERTY) != null) {
                made.put(String.valueOf(p.get("namespace")), c);
            } else {
                operators.add(c);
            }
        }
        if (!operators.isEmpty()) {
            if (!listed.isEmpty()) {
                LOG.info("{} lists {} namespaces; {} pipeline configuration(s) exist, so none is made from it", global,
                        listed.size(), operators.size());
            }
            return;
        }
        for (Map.Entry<String, Configuration> e : made.entrySet()) {
            if (!listed.containsKey(e.getKey())) {
                LOG.info("namespace {} is no longer listed in {}: its pipeline is removed", e.getKey(), global);
                e.getValue().delete();
            }
        }
        for (Map.Entry<String, Path> e : listed.entrySet()) {
            Configuration c = made.get(e.getKey());
            Hashtable<String, Object> want = new Hashtable<>();
            want.put("namespace", e.getKey());
            want.put(RedisSettings.DATABASE_CONFIG, e.getValue().toString());
            want.put(RedisSettings.REDIS_URL, "");
            want.put(ORIGIN_PROPERTY, global.toString());
            if (c == null) {
                LOG.info("namespace {} is listed in {}: a pipeline for it, with {}", e.getKey(), global, e.getValue());
                admin.createFactoryConfiguration(Pipelines.FACTORY_PID, "?").update(want);
            } else if (!e.getValue().toString().equals(String.valueOf(c.getProperties().get(RedisSettings.DATABASE_CONFIG)))) {
                c.update(want);
            }
        }
    }
}
