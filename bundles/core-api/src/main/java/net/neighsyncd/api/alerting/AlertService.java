package net.neighsyncd.api.alerting;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The alerting engine's view of its rules, for the REST and gRPC APIs and the Web Console.
 *
 * @since 1.5
 */
@ProviderType
public interface AlertService {

    /** The rules now {@link Alert.State#PENDING} or {@link Alert.State#FIRING}, by rule name. */
    List<Alert> active();
}
