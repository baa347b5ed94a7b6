/**
 * Where the time of the sync path goes: the {@link net.neighsyncd.api.profiling.Stage}s of a
 * kernel change on its way to APPL_DB, and the latency histogram of each
 * ({@link net.neighsyncd.api.profiling.StageHistogram}) that a part of the daemon publishes by
 * registering a {@link net.neighsyncd.api.profiling.StageTimings} service.
 */
@Version("1.0.0")
@Export
package net.neighsyncd.api.profiling;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
