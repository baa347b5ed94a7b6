/**
 * Two instances, one writer: the leadership of a pipeline. The ha bundle provides one
 * {@link net.neighsyncd.api.ha.Leadership} per pipeline it leads or stands by for; the engine
 * writes only while it says {@link net.neighsyncd.api.ha.Role#LEADER}, and the APPL_DB sink writes
 * under its {@link net.neighsyncd.api.ha.WriteFence}, which Redis checks atomically with each
 * write. {@link net.neighsyncd.api.ha.HaKeys} names the Redis keys both sides use.
 */
@Version("1.0.0")
@Export
package net.neighsyncd.api.ha;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
