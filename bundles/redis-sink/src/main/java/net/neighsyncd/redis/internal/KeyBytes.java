package net.neighsyncd.redis.internal;

import java.nio.charset.StandardCharsets;
import net.neighsyncd.api.neighbor.NeighborKey;

/**
 * A neighbor's APPL_DB key as the bytes Redis receives ({@code <ifname>:<ip>}, UTF-8, as Jedis
 * would encode the string), built without an intermediate string, and the same bytes behind a
 * prefix such as {@code _NEIGH_TABLE:}: the batch script's arguments for a burst of neighbors
 * are built here once per key.
 */
final class KeyBytes {
    private KeyBytes() {
    }

    /** {@code key}'s bytes. */
    static byte[] of(NeighborKey key) {
        String ifname = key.ifname();
        String ip = key.ip().toString();
        if (!ascii(ifname)) {
            // an interface name outside ASCII (Linux allows any bytes but '/' and blanks): as Jedis would encode it
            return (ifname + ':' + ip).getBytes(StandardCharsets.UTF_8);
        }
        byte[] out = new byte[ifname.length() + 1 + ip.length()];
        int at = put(ifname, out, 0);
        out[at++] = ':';
        put(ip, out, at);
        return out;
    }

    /** {@code prefix} followed by {@code key}, both already bytes. */
    static byte[] prefixed(byte[] prefix, byte[] key) {
        byte[] out = new byte[prefix.length + key.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(key, 0, out, prefix.length, key.length);
        return out;
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Writes the ASCII string {@code s} at {@code at}; returns the index after it. */
    private static int put(String s, byte[] out, int at) {
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }
}
