/**
 * The applied neighbor table as a numbered history: a snapshot read at one revision, then every
 * change the APPL_DB sink acknowledged after it, in order, each with the next revision. What the
 * REST and gRPC APIs serve, and what any bundle that follows the table uses instead of polling.
 */
@Version("1.2.0")
@Export
package net.neighsyncd.api.watch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
