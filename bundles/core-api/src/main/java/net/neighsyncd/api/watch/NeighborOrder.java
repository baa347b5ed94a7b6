package net.neighsyncd.api.watch;

import java.util.Comparator;
import net.neighsyncd.api.neighbor.NeighborKey;

/**
 * The order watches list entries in, and pages by: interface names as an operator reads them
 * (runs of digits compared as numbers: {@code Ethernet4} before {@code Ethernet12}), then IPv4
 * before IPv6, then the address as a number. Total: two keys compare equal only when they are
 * equal.
 */
public final class NeighborOrder {
    /** The order of keys. */
    public static final Comparator<NeighborKey> KEYS = NeighborOrder::compare;

    private NeighborOrder() {
    }

    /** Compares two keys in this order. */
    public static int compare(NeighborKey a, NeighborKey b) {
        int c = compareNames(a.ifname(), b.ifname());
        if (c != 0) {
            return c;
        }
        c = a.ip().family().compareTo(b.ip().family());
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(a.ip().high(), b.ip().high());
        return c != 0 ? c : Long.compareUnsigned(a.ip().low(), b.ip().low());
    }

    /**
     * Compares interface names, runs of digits as numbers (leading zeros ignored, then the shorter
     * run first) and the rest by character; equal only when the names are.
     */
    public static int compareNames(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (isDigit(x) && isDigit(y)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int c = compareDigits(a, i, endA, b, j, endB);
                if (c != 0) {
                    return c;
                }
                i = endA;
                j = endB;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    private static int compareDigits(String a, int i, int endA, String b, int j, int endB) {
        int sa = i;
        while (sa < endA - 1 && a.charAt(sa) == '0') {
            sa++;
        }
        int sb = j;
        while (sb < endB - 1 && b.charAt(sb) == '0') {
            sb++;
        }
        int c = Integer.compare(endA - sa, endB - sb);
        if (c != 0) {
            return c;
        }
        for (int k = 0; k < endA - sa; k++) {
            c = Character.compare(a.charAt(sa + k), b.charAt(sb + k));
            if (c != 0) {
                return c;
            }
        }
        // the same number: the run with fewer leading zeros first
        return Integer.compare(endA - i, endB - j);
    }
}
