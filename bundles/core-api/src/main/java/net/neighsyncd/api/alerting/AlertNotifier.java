package net.neighsyncd.api.alerting;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where alerts go: register implementations as services and the alerting engine calls every one
 * of them. neighsyncd ships a log notifier and an HTTP webhook notifier; vendors add their own.
 *
 * @since 1.5
 */
@ConsumerType
public interface AlertNotifier {

    /**
     * Called on each transition of a rule to {@link Alert.State#FIRING} and to
     * {@link Alert.State#RESOLVED}, in order per rule, from a notification thread of the engine
     * (never the evaluation thread). Should return quickly: slow work (network) belongs on a
     * thread of the notifier's own. An exception is logged and otherwise ignored.
     */
    void notify(Alert alert);
}
