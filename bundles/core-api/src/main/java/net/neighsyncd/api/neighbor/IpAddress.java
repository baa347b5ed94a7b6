package net.neighsyncd.api.neighbor;

import java.util.Arrays;

/**
 * An immutable IPv4 or IPv6 address whose text form is the one {@code inet_ntop} prints, which
 * is the form SONiC puts in APPL_DB keys: dotted quad for IPv4; for IPv6 lower-case hex groups
 * without leading zeros, the longest run (first on a tie) of two or more zero groups written
 * as {@code ::}, and an IPv4 tail for IPv4-compatible and IPv4-mapped addresses.
 */
public final class IpAddress {
    private final Family family;
    private final byte[] bytes;
    private final int hash;

    private IpAddress(Family family, byte[] bytes) {
        this.family = family;
        this.bytes = bytes;
        this.hash = hash(bytes);
    }

    /** The address in network order; 4 bytes make an IPv4 address, 16 an IPv6 one. */
    public static IpAddress of(byte[] bytes) {
        if (bytes.length == 4) {
            return new IpAddress(Family.IPV4, bytes.clone());
        }
        if (bytes.length == 16) {
            return new IpAddress(Family.IPV6, bytes.clone());
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got " + bytes.length);
    }

    /**
     * The address of {@code family} whose 128-bit number, most significant bits first, is
     * {@code high} then {@code low} (see {@link #high()} and {@link #low()}): for IPv4, {@code high}
     * is 0 and the address is the low 32 bits of {@code low}. A table can keep an address as two
     * longs instead of an object and build this one when it needs it.
     */
    public static IpAddress ofBits(Family family, long high, long low) {
        if (family == Family.IPV4) {
            if (high != 0 || (low & ~0xFFFF_FFFFL) != 0) {
                throw new IllegalArgumentException("an IPv4 address has 32 bits: " + Long.toHexString(high) + ":"
                        + Long.toHexString(low));
            }
            byte[] b = new byte[4];
            putBits(b, 0, low, 4);
            return new IpAddress(Family.IPV4, b);
        }
        byte[] b = new byte[16];
        putBits(b, 0, high, 8);
        putBits(b, 8, low, 8);
        return new IpAddress(Family.IPV6, b);
    }

    /** Parses an IPv4 dotted quad or an IPv6 address (no zone) without any name lookup. */
    public static IpAddress parse(String text) {
        return of(IpAddressParser.parse(text));
    }

    public Family family() {
        return family;
    }

    /** A copy of the address bytes in network order. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The upper 64 bits of an IPv6 address in network order; 0 for IPv4. */
    public long high() {
        return family == Family.IPV4 ? 0 : getBits(bytes, 0, 8);
    }

    /** The lower 64 bits of an IPv6 address in network order; an IPv4 address in the low 32 bits. */
    public long low() {
        return family == Family.IPV4 ? getBits(bytes, 0, 4) : getBits(bytes, 8, 8);
    }

    /** IPv4 169.254.0.0/16 or IPv6 fe80::/10. */
    public boolean isLinkLocal() {
        if (family == Family.IPV4) {
            return (bytes[0] & 0xFF) == 169 && (bytes[1] & 0xFF) == 254;
        }
        return (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xC0) == 0x80;
    }

    /** IPv6 multicast with link-local scope ({@code ffx2::/16}), as {@code IN6_IS_ADDR_MC_LINKLOCAL}. */
    public boolean isMulticastLinkLocal() {
        return family == Family.IPV6 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0x0F) == 0x02;
    }

    @Override
    public String toString() {
        // formatted when asked, not kept: a switch holds one address per neighbor, and the text is
        // needed only to write a key or a line
        return family == Family.IPV4 ? formatV4(bytes, 0) : formatV6(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress && Arrays.equals(((IpAddress) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * The address's 32-bit words folded together with an odd multiplier (the golden ratio's), then
     * mixed (MurmurHash3's finaliser), so that
     * neighboring addresses spread over every bit: {@code Arrays.hashCode} (multiplier 31 over
     * bytes) gave 100,000 sequential IPv4 addresses only about 8,000 distinct codes, and hash
     * maps of them turned their buckets into trees. For IPv4 the result is a bijection of the
     * address: no two addresses share a code.
     */
    private static int hash(byte[] b) {
        int h = 0;
        for (int i = 0; i < b.length; i += 4) {
            int word = (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
            h = (h + word) * 0x9e3779b1;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static long getBits(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void putBits(byte[] b, int off, long v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static String formatV4(byte[] b, int off) {
        return (b[off] & 0xFF) + "." + (b[off + 1] & 0xFF) + "." + (b[off + 2] & 0xFF) + "." + (b[off + 3] & 0xFF);
    }

    private static String formatV6(byte[] b) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xFFFF))) {
                sb.append(formatV4(b, 12));
                break;
            }
            sb.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }
}
