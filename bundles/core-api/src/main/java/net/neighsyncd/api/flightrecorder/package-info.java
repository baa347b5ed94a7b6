/**
 * Java Flight Recorder recordings of the daemon's JVM, taken on an operator's request: one at a
 * time, for a bounded duration, the file of the last one kept until the next starts. The profiling
 * bundle provides the {@link net.neighsyncd.api.flightrecorder.FlightRecorder} service; the Web
 * Console page and the REST API offer it.
 */
@Version("1.0.0")
@Export
package net.neighsyncd.api.flightrecorder;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
