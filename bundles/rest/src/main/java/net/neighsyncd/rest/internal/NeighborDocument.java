package net.neighsyncd.rest.internal;

import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.watch.WatchEntry;

/**
 * One neighbor as the API writes it (openapi.json: Neighbor).
 *
 * @param key    the APPL_DB key, {@code ifname:ip}
 * @param mac    null in a delete
 * @param state  the kernel's NUD state, lower case; null when the kernel has none
 */
record NeighborDocument(String key, String ifname, String ip, String family, String mac, String vrf, String state) {

    static NeighborDocument of(WatchEntry e) {
        return of(e.record().key(), e.record().mac(), e.vrf(), e.state());
    }

    static NeighborDocument of(NeighborKey key, MacAddress mac, String vrf, NudCategory state) {
        return new NeighborDocument(key.toString(), key.ifname(), key.ip().toString(),
                key.ip().family().sonicName(), mac == null ? null : mac.toString(), vrf,
                state == null ? null : state.label());
    }
}
