/**
 * Which VRF each interface is bound to. A source of truth (CONFIG_DB, the kernel) offers what it
 * says as a {@link net.neighsyncd.api.vrf.VrfBindingSource}; the VRF manager merges them.
 * APPL_DB keys do not carry the VRF: it is implied by the interface (docs/behaviour.md).
 */
@Version("1.1.0")
@Export
package net.neighsyncd.api.vrf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
