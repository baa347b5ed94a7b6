package net.neighsyncd.api.watch;

import java.util.Locale;
import java.util.regex.Pattern;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;

/**
 * Which entries a snapshot lists and which changes a follower wants; every part null means any.
 *
 * <p>A change passes by what it carries when numbered: a set by its interface, family, VRF and
 * MAC; a delete by its interface, family and VRF only (it has no MAC, so a follower filtering by
 * MAC also receives deletes of keys it never listed). The kernel's state filters snapshots only:
 * a neighbor going from reachable to stale writes nothing, so no change would tell.
 *
 * @param ifname    the interface, exactly
 * @param family    the address family
 * @param vrf       the VRF the interface is bound to ({@code default}: none)
 * @param macPrefix the start of the MAC as written ({@code 02:00:0a}), any case; it is kept lower case
 * @param state     the kernel's NUD state
 */
public record NeighborSelector(String ifname, Family family, String vrf, String macPrefix, NudCategory state) {
    /** Everything. */
    public static final NeighborSelector ALL = new NeighborSelector(null, null, null, null, null);

    private static final Pattern MAC_PREFIX = Pattern.compile("[0-9a-f]{0,2}(:[0-9a-f]{0,2}){0,5}");

    /** @throws IllegalArgumentException when {@code macPrefix} cannot start a MAC as written */
    public NeighborSelector {
        if (macPrefix != null) {
            macPrefix = macPrefix.toLowerCase(Locale.ROOT);
            if (macPrefix.length() > 17 || !MAC_PREFIX.matcher(macPrefix).matches()) {
                throw new IllegalArgumentException("not the start of a MAC address: " + macPrefix);
            }
        }
    }

    /** Whether a snapshot lists the entry. */
    public boolean accepts(NeighborKey key, MacAddress mac, String entryVrf, NudCategory entryState) {
        return acceptsKey(key, entryVrf) && acceptsMac(mac) && (state == null || state == entryState);
    }

    /** Whether a follower receives the change. */
    public boolean accepts(AppliedChange c) {
        NeighborChange change = c.change();
        if (!acceptsKey(change.key(), c.vrf())) {
            return false;
        }
        return change.op() == NeighborChange.Op.DELETE || acceptsMac(change.record().mac());
    }

    private boolean acceptsKey(NeighborKey key, String keyVrf) {
        return (ifname == null || ifname.equals(key.ifname()))
                && (family == null || family == key.ip().family())
                && (vrf == null || vrf.equals(keyVrf));
    }

    private boolean acceptsMac(MacAddress mac) {
        return macPrefix == null || mac != null && mac.toString().startsWith(macPrefix);
    }
}
