/**
 * The sync engine and the services it binds: the neighbor source, sinks (the APPL_DB sink is a
 * {@link net.neighsyncd.api.engine.ReconcilableSink}), vendor filters, change listeners and
 * the switch modes that steer SONiC's rules.
 */
@Version("1.5.0")
@Export
package net.neighsyncd.api.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
