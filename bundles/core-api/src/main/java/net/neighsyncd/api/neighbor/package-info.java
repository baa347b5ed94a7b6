/**
 * The neighbor model: kernel neighbor messages as the netlink source decodes them, and the
 * APPL_DB keys and records the engine derives from them. Value types only.
 */
@Version("1.2.0")
@Export
package net.neighsyncd.api.neighbor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
