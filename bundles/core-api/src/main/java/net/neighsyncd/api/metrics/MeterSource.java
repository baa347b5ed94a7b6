package net.neighsyncd.api.metrics;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the daemon that publishes meters of its own: register it as a service and the
 * metrics bundle exports every {@link MeterSpec} it lists on {@code /metrics} while the service
 * is registered, and removes them when it goes.
 *
 * <p>A spec whose name (with its tags) is already exported by someone else, or that the registry
 * refuses (the same name as a meter of another kind, say), is skipped with a warning; the other
 * specs of the source are still exported.
 *
 * @since 1.6
 */
@ConsumerType
public interface MeterSource {

    /**
     * The meters this part publishes. The list is fixed for the life of the service
     * registration (a consumer may read it once, when it binds the service). The values are read
     * through each spec's {@link MeterSpec#value() supplier} at scrape time, from any thread, and
     * must be cheap: no I/O, no lock held for long.
     */
    List<MeterSpec> meters();
}
