/**
 * Who may use the daemon's APIs: the bearer tokens an operator configured, each with a name and a
 * {@link net.neighsyncd.api.access.Scope}. The access bundle provides the one
 * {@link net.neighsyncd.api.access.ApiAccess} service; the HTTP and gRPC APIs ask it for every
 * request, so that one token list admits a client to both.
 */
@Version("1.0.0")
@Export
package net.neighsyncd.api.access;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
