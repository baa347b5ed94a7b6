/**
 * Alerts raised by rules over the daemon's meters, and the notifiers that deliver them.
 */
@Version("1.0.0")
@Export
package net.neighsyncd.api.alerting;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
