/**
 * The process the daemon runs in: the launcher provides {@link net.neighsyncd.api.process.ProcessControl}
 * from the system bundle; bundles ask it to end the process.
 */
@Version("1.0.0")
@Export
package net.neighsyncd.api.process;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
