package net.neighsyncd.vrf.internal;

import java.util.Map;
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
 * One configuration of the factory PID {@value #FACTORY_PID}: a VRF policy, handed to
 * {@link VrfPolicies}. An invalid one is logged with its reason and the last good one of the
 * same PID stays in force (none, for a first one).
 */
@Component(service = VrfPolicyConfig.class, configurationPid = VrfPolicyConfig.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = VrfPolicyConfig.Config.class, factory = true)
public final class VrfPolicyConfig {
    static final String FACTORY_PID = "net.neighsyncd.vrf.policy";
    private static final Logger LOG = LoggerFactory.getLogger(VrfPolicyConfig.class);

    @ObjectClassDefinition(id = FACTORY_PID, name = "neighsyncd VRF policy",
            description = "What neighsyncd syncs of the neighbors on the interfaces of one VRF (or of the VRFs a "
                    + "pattern names), in every pipeline. A VRF no policy names is synced as the engine's rules "
                    + "decide. A change re-derives the entries and writes only the difference.")
    public @interface Config {
        @AttributeDefinition(name = "VRF",
                description = "A VRF name as CONFIG_DB's VRF table and the kernel name it (Vrf-red; default for the "
                        + "interfaces in no VRF), or a Java regular expression matching whole names (Vrf-mgmt.*). "
                        + "An exact name beats any pattern.")
        String vrf();

        @AttributeDefinition(name = "Sync", description = "false: no neighbor of the VRF is written to APPL_DB, and "
                + "those written are deleted (dropped as vrf_not_synced).")
        boolean sync() default true;

        @AttributeDefinition(name = "Families", description = "The families synced in the VRF, within the engine's "
                + "own: IPv4, IPv6. The other is dropped as family_disabled.")
        String[] families() default {"IPv4", "IPv6"};

        @AttributeDefinition(name = "IPv6 link-local",
                description = "inherit: as the engine decides (CONFIG_DB's link-local-only mode, or linkLocalMode); "
                        + "always: synced on every interface of the VRF; never: not synced in the VRF.")
        String linkLocal() default "inherit";

        @AttributeDefinition(name = "Ranking", description = "Among patterns that match one VRF, the highest wins.")
        int ranking() default 0;

        @AttributeDefinition(name = "Name hint", description = "How the Web Console names this configuration.")
        String webconsole_configurationFactory_nameHint() default "VRF {vrf}";
    }

    private volatile VrfPolicyRule rule;

    @Activate
    void activate(Config config, Map<String, Object> properties) {
        take(config, properties);
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        take(config, properties);
    }

    @Deactivate
    void deactivate() {
        LOG.info("VRF policy removed: {}", rule);
    }

    private void take(Config config, Map<String, Object> properties) {
        String pid = String.valueOf(properties.get("service.pid"));
        try {
            VrfPolicyRule next = VrfPolicyRule.from(pid, config);
            rule = next;
            LOG.info("VRF policy {}: {}", pid, next);
        } catch (VrfPolicyRule.InvalidRuleException e) {
            LOG.error("configuration {} rejected, {}: {}", FACTORY_PID, rule == null ? "no policy from it"
                    : "keeping " + rule, e.getMessage());
        }
    }

    /** The rule in force, or null when no valid configuration came yet. */
    VrfPolicyRule rule() {
        return rule;
    }
}
