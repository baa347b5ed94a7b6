package net.neighsyncd.alerting.internal;

import net.neighsyncd.api.alerting.Alert;
import net.neighsyncd.api.alerting.AlertNotifier;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per transition: WARN when a rule fires, INFO when it resolves. */
@Component(service = AlertNotifier.class)
public final class LogAlertNotifier implements AlertNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(LogAlertNotifier.class);

    @Override
    public void notify(Alert a) {
        String line = line(a);
        if (a.state() == Alert.State.FIRING) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
    }

    static String line(Alert a) {
        return "alert " + a.rule() + " " + a.state() + " (" + a.severity().label() + ", value " + a.value()
                + (a.labels().isEmpty() ? "" : ", labels " + a.labels()) + ")"
                + (a.description().isEmpty() ? "" : ": " + a.description());
    }
}
