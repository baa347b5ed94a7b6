package net.neighsyncd.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.metrics.MeterSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Log levels and syslog, changed live through Config Admin (PID {@value #PID}). A rejected
 * configuration is logged in one line and reported as a health problem; the last good one stays.
 */
@Component(configurationPid = LoggingComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {HealthContributor.class, MeterSource.class})
@Designate(ocd = LoggingComponent.Config.class)
public final class LoggingComponent implements HealthContributor, MeterSource {
    static final String PID = "net.neighsyncd.logging";
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LoggingComponent.class);

    @ObjectClassDefinition(name = "neighsyncd logging", description = "Log levels and syslog output, applied "
            + "without a restart. The console format and the levels at start come from etc/logback.xml.")
    public @interface Config {
        @AttributeDefinition(name = "Level", description = "Level of every logger not named below: error, warn, "
                + "info, debug, trace or off.")
        String level() default "info";

        @AttributeDefinition(name = "Logger levels", description = "logger=level entries, e.g. "
                + "net.neighsyncd.netlink=debug; a logger's children inherit its level.")
        String[] loggers() default {};

        @AttributeDefinition(name = "Syslog", description = "Also send every message to syslog, SONiC style: "
                + "'<identifier>: :- <Class>: <message>', INFO as notice.")
        boolean syslog() default false;

        @AttributeDefinition(name = "Syslog address", description = "A unix datagram socket (/dev/log, or @name "
                + "for an abstract one) or udp:host:port.")
        String syslogAddress() default SyslogTarget.DEFAULT_ADDRESS;

        @AttributeDefinition(name = "Syslog identifier", description = "The program name syslog shows; SONiC's "
                + "rsyslog in the swss container adds its own 'swss#' in front.")
        String syslogIdentifier() default SyslogTarget.DEFAULT_IDENTIFIER;

        @AttributeDefinition(name = "Syslog facility", description = "user, daemon or local0 .. local7.")
        String syslogFacility() default SyslogTarget.DEFAULT_FACILITY;
    }

    private volatile LogbackControl control;
    private volatile String rejected;
    private volatile String unavailable;

    @Activate
    void activate(Map<String, Object> properties) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            unavailable = "logging backend is " + factory.getClass().getName()
                    + ", not logback: levels and syslog cannot be set";
            LOG.warn(unavailable);
            return;
        }
        control = new LogbackControl(context);
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        if (control != null) {
            configure(properties);
        }
    }

    @Deactivate
    void deactivate() {
        if (control != null) {
            control.restore();
            control = null;
        }
    }

    private void configure(Map<String, Object> properties) {
        LogSettings settings;
        try {
            settings = LogSettings.parse(properties);
        } catch (IllegalArgumentException e) {
            rejected = "configuration rejected: " + e.getMessage();
            LOG.error("{}; keeping the last good one", rejected);
            return;
        }
        rejected = null;
        try {
            control.apply(settings);
            unavailable = null;
        } catch (IOException e) {
            unavailable = "syslog " + settings.syslog().address() + " cannot be opened: " + e.getMessage();
            LOG.error(unavailable);
        }
        LOG.info("logging: level {}{}{}", settings.level(),
                settings.loggers().isEmpty() ? "" : ", loggers " + settings.loggers(),
                settings.syslog() == null ? ", no syslog" : ", syslog to " + settings.syslog().address()
                        + " as " + settings.syslog().identifier());
    }

    @Override
    public java.util.List<MeterSpec> meters() {
        return java.util.List.of(
                MeterSpec.counter("neighsyncd.log.syslog.sent", "Log messages sent to syslog", Map.of(),
                        () -> control == null ? 0 : control.syslogSent.get()),
                MeterSpec.counter("neighsyncd.log.syslog.dropped",
                        "Log messages syslog could not take (no daemon at the address, its queue full); the console "
                                + "has them", Map.of(), () -> control == null ? 0 : control.syslogDropped.get()));
    }

    @Override
    public Set<Problem> problems() {
        Set<Problem> p = new TreeSet<>();
        if (rejected != null) {
            p.add(Problem.degraded(PID, rejected));
        }
        if (unavailable != null) {
            p.add(Problem.degraded(PID, unavailable));
        }
        return p;
    }
}
