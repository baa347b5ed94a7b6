/**
 * Tracing the sync path: the writer of each sink hands every batch it wrote (or failed to write)
 * to a {@link net.neighsyncd.api.tracing.BatchTracer} service, when one is registered, with the
 * times a tracer needs to show the batch from the kernel read to the sink's answer.
 */
@Version("1.0.0")
@Export
package net.neighsyncd.api.tracing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
