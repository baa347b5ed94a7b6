/**
 * The neighsyncd API: value types for kernel neighbors and APPL_DB entries, and the services
 * through which the sync core, the neighbor sources, the sinks and vendor extensions meet.
 */
@Version("1.7.0")
@Export
package net.neighsyncd.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
