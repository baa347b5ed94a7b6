package net.neighsyncd.api.watch;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;

/**
 * Which entries a snapshot lists and which changes a follower wants; every part null means any.
 *
 * <p>A follower that applies a snapshot and then what {@link #seenAs} gives for each change holds
 * the entries the selector accepts: a set it accepts passes; a set of a key on its interfaces and
 * family that it does not accept (another MAC, another VRF) comes as a delete of that key, and a
 * delete of such a key passes — so a follower also receives deletes of keys it never listed. The
 * kernel's state filters snapshots only: a neighbor going from reachable to stale writes nothing,
 * so no change would tell. The text is matched as the MAC prefix is: a set whose MAC no longer
 * holds it comes as a delete.
 *
 * @param ifname    the interface, exactly
 * @param family    the address family
 * @param vrf       the VRF the interface is bound to ({@code default}: none)
 * @param macPrefix the start of the MAC as written ({@code 02:00:0a}), any case; it is kept lower case
 * @param state     the kernel's NUD state
 * @param text      text the key ({@code Ethernet8:10.0.0.1}) or the MAC as written contains, any
 *                  case (a search field's); it is kept lower case, blank means any
 */
public record NeighborSelector(String ifname, Family family, String vrf, String macPrefix, NudCategory state,
        String text) {
    /** Everything. */
    public static final NeighborSelector ALL = new NeighborSelector(null, null, null, null, null);

    /** The most {@code text} holds: longer than any key or MAC written. */
    public static final int MAX_TEXT = 64;

    private static final Pattern MAC_PREFIX = Pattern.compile("[0-9a-f]{0,2}(:[0-9a-f]{0,2}){0,5}");

    /** Without a text to search for. */
    public NeighborSelector(String ifname, Family family, String vrf, String macPrefix, NudCategory state) {
        this(ifname, family, vrf, macPrefix, state, null);
    }

    /**
     * @throws IllegalArgumentException when {@code macPrefix} cannot start a MAC as written, or
     *                                  {@code text} is longer than {@link #MAX_TEXT}
     */
    public NeighborSelector {
        if (text != null) {
            text = text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
            if (text != null && text.length() > MAX_TEXT) {
                throw new IllegalArgumentException("a search text of at most " + MAX_TEXT + " characters, not "
                        + text.length());
            }
        }
        if (macPrefix != null) {
            macPrefix = macPrefix.toLowerCase(Locale.ROOT);
            if (macPrefix.length() > 17 || !MAC_PREFIX.matcher(macPrefix).matches()) {
                throw new IllegalArgumentException("not the start of a MAC address: " + macPrefix);
            }
        }
    }

    /** Whether a snapshot lists the entry. */
    public boolean accepts(NeighborKey key, MacAddress mac, String entryVrf, NudCategory entryState) {
        return acceptsKey(key, entryVrf) && acceptsMac(key, mac) && (state == null || state == entryState);
    }

    /**
     * What a follower of this selector receives for {@code c}: the change itself when it is a set
     * the selector accepts or a delete of a key on its interfaces and family; a delete of the key
     * when it is a set there that the selector does not accept; nothing for a key of another
     * interface or family.
     */
    public Optional<NeighborChange> seenAs(AppliedChange c) {
        NeighborChange change = c.change();
        NeighborKey key = change.key();
        if (ifname != null && !ifname.equals(key.ifname()) || family != null && family != key.ip().family()) {
            return Optional.empty();
        }
        if (change.op() == NeighborChange.Op.DELETE || acceptsKey(key, c.vrf()) && acceptsMac(key, change.record().mac())) {
            return Optional.of(change);
        }
        return Optional.of(NeighborChange.delete(key));
    }

    private boolean acceptsKey(NeighborKey key, String keyVrf) {
        return (ifname == null || ifname.equals(key.ifname()))
                && (family == null || family == key.ip().family())
                && (vrf == null || vrf.equals(keyVrf));
    }

    private boolean acceptsMac(NeighborKey key, MacAddress mac) {
        return (macPrefix == null || mac != null && mac.toString().startsWith(macPrefix))
                && (text == null || key.toString().toLowerCase(Locale.ROOT).contains(text)
                        || mac != null && mac.toString().contains(text));
    }
}
