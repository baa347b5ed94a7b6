package com.example.neighsyncd.filter.internal;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.engine.NeighborFilter;
import net.neighsyncd.api.neighbor.NeighborRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vendor filter: the neighbors of every interface whose whole name matches
 * {@code interfacePattern} are kept out of APPL_DB. The default pattern is empty and drops
 * nothing, so installing the bundle without a configuration changes nothing.
 *
 * <p>A new pattern is applied in place ({@link Modified}): DS then updates this service's
 * properties, and the engine re-derives every entry with the new pattern. An invalid pattern is
 * rejected and the last good one stays in force; the engine's health lists the rejection (this
 * component is also a {@link HealthContributor}) until a valid pattern arrives.
 */
@Component(service = {NeighborFilter.class, HealthContributor.class}, immediate = true,
        configurationPid = InterfaceFilter.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = InterfaceFilter.Config.class)
public final class InterfaceFilter implements NeighborFilter, HealthContributor {
    static final String PID = "com.example.neighsyncd.filter";
    static final String DEFAULT_PATTERN = "";
    private static final Logger LOG = LoggerFactory.getLogger(InterfaceFilter.class);

    @ObjectClassDefinition(id = PID, name = "Example vendor filter: drop neighbors by interface",
            description = "Keeps the neighbors of matching interfaces out of APPL_DB NEIGH_TABLE (applied after "
                    + "SONiC's rules). An example of an extension bundle written against neighsyncd's core-api.")
    @interface Config {

        @AttributeDefinition(name = "Interface pattern",
                description = "Java regular expression matched against the whole interface name (the part of the "
                        + "APPL_DB key before the first colon, e.g. Ethernet8); the neighbors of a matching interface "
                        + "are not written, and entries already written are deleted. Empty: drops nothing. In an "
                        + "etc/*.cfg file write a backslash twice. An invalid expression is rejected and the last "
                        + "good one is kept.")
        String interfacePattern() default DEFAULT_PATTERN;
    }

    /** The pattern in force; null drops nothing. Read once per call, so every call sees one pattern. */
    private volatile Pattern pattern;
    /** Why the configuration offered last was rejected; null when it was applied. */
    private volatile String rejection;

    @Activate
    void activate(Config config) {
        apply(config);
    }

    @Modified
    void modified(Config config) {
        apply(config);
    }

    @Override
    public Optional<NeighborRecord> filter(NeighborRecord record) {
        Pattern p = pattern;
        if (p != null && p.matcher(record.key().ifname()).matches()) {
            return Optional.empty();
        }
        return Optional.of(record);
    }

    @Override
    public Set<Problem> problems() {
        String r = rejection;
        // the last good pattern stays in force: the daemon syncs on, degraded
        return r == null ? Set.of() : Set.of(Problem.degraded(PID, r));
    }

    /** The pattern in force, as configured; empty when the filter drops nothing. */
    String pattern() {
        Pattern p = pattern;
        return p == null ? "" : p.pattern();
    }

    private void apply(Config config) {
        String text = config.interfacePattern() == null ? DEFAULT_PATTERN : config.interfacePattern();
        Pattern next;
        try {
            next = text.isEmpty() ? null : Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            String why = "interfacePattern='" + text
                    + "' is not a regular expression (" + e.getDescription() + " at index " + e.getIndex()
                    + "); keeping '" + pattern() + "'";
            rejection = "configuration rejected: " + why;
            LOG.error("configuration {} rejected: {}", PID, why);
            return;
        }
        pattern = next;
        rejection = null;
        if (next == null) {
            LOG.info("{}: interfacePattern is empty, no neighbor is dropped", PID);
        } else {
            LOG.info("{}: dropping the neighbors of interfaces matching '{}'", PID, text);
        }
    }
}
