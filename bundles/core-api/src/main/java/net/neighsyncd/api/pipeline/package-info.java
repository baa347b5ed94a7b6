/**
 * Pipelines: one neighbor source, sync engine and APPL_DB sink per network namespace (one per
 * ASIC on a multi-ASIC switch), each created from a factory configuration of
 * {@value net.neighsyncd.api.pipeline.Pipelines#FACTORY_PID}. Every service that belongs to one
 * pipeline carries the service property {@value net.neighsyncd.api.pipeline.Pipelines#NAMESPACE_PROPERTY}.
 */
@Version("1.1.0")
@Export
package net.neighsyncd.api.pipeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
