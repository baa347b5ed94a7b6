/**
 * Meters a bundle publishes on the daemon's {@code /metrics}: a bundle registers a
 * {@link net.neighsyncd.api.metrics.MeterSource}, the metrics bundle exports its specs.
 */
@Version("1.0.0")
@Export
package net.neighsyncd.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
