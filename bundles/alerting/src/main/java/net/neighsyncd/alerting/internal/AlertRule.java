package net.neighsyncd.alerting.internal;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One alert rule: a factory configuration of {@value #FACTORY_PID} (in {@code etc/}:
 * {@code net.neighsyncd.alert.rule-<name>.cfg}). An invalid configuration is rejected with one
 * log line and the last good one of the same configuration stays in force.
 */
@Component(configurationPid = AlertRule.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = AlertRule.Config.class, factory = true)
public final class AlertRule {
    static final String FACTORY_PID = "net.neighsyncd.alert.rule";
    private static final Logger LOG = LoggerFactory.getLogger(AlertRule.class);

    @ObjectClassDefinition(id = FACTORY_PID, name = "neighsyncd alert rule",
            description = "A condition on one neighsyncd meter that moves through inactive, pending, firing and "
                    + "resolved and tells the alert notifiers when it fires and when it resolves. Invalid values are "
                    + "rejected with a log line and the last good configuration stays in force.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "The alert's name, as notifiers and the alert service show it.")
        String name();

        @AttributeDefinition(name = "Meter", description = "Micrometer meter name, dotted (e.g. neighsyncd.healthy, "
                + "neighsyncd.netlink.overflows); see docs/monitoring.md. Gauges give their value, counters their "
                + "count, timers and summaries their mean (seconds); several matching meters are summed.")
        String meter();

        @AttributeDefinition(name = "Tags", description = "Only meters with these tags: k=v,k=v (empty: any).",
                required = false)
        String tags() default "";

        @AttributeDefinition(name = "Aggregation", description = "value: the meter's value; rate: its increase "
                + "per second over the window (for counters); mean: a timer's mean over the window, in seconds "
                + "(no data while nothing was recorded).",
                options = {@Option(label = "value", value = "value"), @Option(label = "rate", value = "rate"),
                        @Option(label = "mean", value = "mean")})
        String aggregation() default "value";

        @AttributeDefinition(name = "Window (s)", description = "The window of rate and rate_of_change, in "
                + "seconds. Range 1..86400.", min = "1", max = "86400")
        int windowSeconds() default RuleSpec.DEFAULT_WINDOW_SECONDS;

        @AttributeDefinition(name = "Condition", description = "above: value > threshold; below: value < threshold; "
                + "between: threshold <= value <= threshold2; rate_of_change: the value changes faster than "
                + "threshold per second over the window.",
                options = {@Option(label = "above", value = "above"), @Option(label = "below", value = "below"),
                        @Option(label = "between", value = "between"),
                        @Option(label = "rate_of_change", value = "rate_of_change")})
        String condition();

        @AttributeDefinition(name = "Threshold", description = "The threshold (between: the lower bound).",
                type = AttributeType.DOUBLE)
        double threshold();

        @AttributeDefinition(name = "Threshold 2", description = "between only: the upper bound (>= threshold).",
                type = AttributeType.DOUBLE, required = false)
        double threshold2();

        @AttributeDefinition(name = "Hysteresis", description = "A pending or firing rule clears only once the value "
                + "is back past the threshold by this margin (same unit as the value, >= 0), so that a value "
                + "hovering at the threshold does not flap.", type = AttributeType.DOUBLE, min = "0")
        double hysteresis() default 0;

        @AttributeDefinition(name = "For (s)", description = "How long the condition must hold before the rule fires, "
                + "in seconds (0: at once). Range 0..86400.", min = "0", max = "86400")
        int forSeconds() default 0;

        @AttributeDefinition(name = "Severity", description = "info, warning or critical.",
                options = {@Option(label = "info", value = "info"), @Option(label = "warning", value = "warning"),
                        @Option(label = "critical", value = "critical")})
        String severity() default "warning";

        @AttributeDefinition(name = "Labels", description = "Extra labels passed to the notifiers: k=v,k=v.",
                required = false)
        String labels() default "";

        @AttributeDefinition(name = "Description", description = "What the alert means, for a human.",
                required = false)
        String description() default "";

        @AttributeDefinition(name = "Evaluation interval (ms)", description = "How often the rule is evaluated, in "
                + "milliseconds. Range 100..3600000.", min = "100", max = "3600000")
        int intervalMillis() default RuleSpec.DEFAULT_INTERVAL_MILLIS;

        @AttributeDefinition(name = "Name hint", description = "How the Web Console names these configurations.")
        String webconsole_configurationFactory_nameHint() default "{name}";
    }

    @Reference
    private AlertEngine engine;
    private RuleSpec current;

    public AlertRule() {
    }

    /** For tests: a rule bound to {@code engine}. */
    AlertRule(AlertEngine engine) {
        this.engine = engine;
    }

    /** The configuration in force, null before a valid one. */
    RuleSpec current() {
        return current;
    }

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Deactivate
    void deactivate() {
        engine.remove(this);
    }

    private void configure(Map<String, Object> properties) {
        Object pid = properties.getOrDefault("service.pid", FACTORY_PID);
        RuleSpec next;
        try {
            next = RuleSpec.parse(properties);
        } catch (IllegalArgumentException e) {
            LOG.warn("alert rule configuration {} rejected: {}; {}", pid, e.getMessage(),
                    current == null ? "the rule stays inactive" : "keeping the last good configuration");
            return;
        }
        if (!next.equals(current)) {
            current = next;
            engine.put(this, next);
            LOG.info("alert rule {}: {}", pid, next);
        }
    }
}
