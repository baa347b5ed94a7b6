package net.neighsyncd.rest.internal;

import jakarta.ws.rs.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.watch.NeighborSelector;

/** What the query parameters of the neighbor endpoints mean, each bad one a 400 that names it. */
final class NeighborQueryParams {
    private NeighborQueryParams() {
    }

    static NeighborSelector selector(String ifname, String family, String vrf, String macPrefix, String state) {
        try {
            String name = blankToNull(ifname);
            if (name != null) {
                interfaceName("interface", name);
            }
            return new NeighborSelector(name, family(family), blankToNull(vrf), blankToNull(macPrefix), state(state));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("mac: " + e.getMessage());
        }
    }

    static Family family(String text) {
        if (blankToNull(text) == null) {
            return null;
        }
        for (Family f : Family.values()) {
            if (f.sonicName().equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new BadRequestException("family: '" + text + "' is not IPv4 or IPv6");
    }

    static NudCategory state(String text) {
        if (blankToNull(text) == null) {
            return null;
        }
        try {
            return NudCategory.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("state: '" + text + "' is not a NUD state (incomplete, reachable, stale, "
                    + "delay, probe, failed, noarp, permanent, other)");
        }
    }

    static int limit(Integer limit, int max) {
        if (limit == null) {
            return Math.min(100, max);
        }
        if (limit < 1 || limit > max) {
            throw new BadRequestException("limit: " + limit + " is outside 1.." + max);
        }
        return limit;
    }

    /** The key a cursor stands for; null for none. */
    static NeighborKey cursor(String cursor) {
        if (blankToNull(cursor) == null) {
            return null;
        }
        try {
            String key = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            return NeighborKey.canonical(key).orElseThrow(IllegalArgumentException::new);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("cursor: not a cursor this API gave");
        }
    }

    /** The cursor of the page after {@code last}. */
    static String cursorAfter(NeighborKey last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(last.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The key of {@code ifname} and {@code ip} as a path names them. */
    static NeighborKey key(String ifname, String ip) {
        interfaceName("ifname", ifname);
        try {
            return new NeighborKey(ifname, net.neighsyncd.api.neighbor.IpAddress.parse(ip));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("ip: not an IPv4 or IPv6 address");
        }
    }

    /** A Linux interface name: 1 to 15 characters, none of them a space, a control character, '/' or ':'. */
    private static void interfaceName(String param, String name) {
        if (name == null || name.isEmpty() || name.length() > 15 || name.indexOf(':') >= 0 || name.indexOf('/') >= 0
                || name.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new BadRequestException(param + ": not an interface name (1 to 15 characters, no space, '/' or ':')");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
