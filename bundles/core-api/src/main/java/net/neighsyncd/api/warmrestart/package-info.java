/**
 * SONiC's warm-restart tables and the APPL_DB reads and deletes a warm start needs, provided by the
 * APPL_DB sink and used by the engine's start sequence and the kernel restore.
 */
@Version("1.0.0")
@Export
package net.neighsyncd.api.warmrestart;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
