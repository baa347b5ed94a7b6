/**
 * Health that parts of the daemon report to the engine's readiness.
 */
@Version("1.0.0")
@Export
package net.neighsyncd.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
