package net.neighsyncd.webconsole.internal;

import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.watch.NeighborOrder;

/**
 * A text per key that sorts, as plain strings do (UTF-16 code units: Java's {@code compareTo},
 * JavaScript's {@code <}), in {@link NeighborOrder}: the page's script puts a new row before the
 * first row whose text sorts after it, without knowing the order itself.
 *
 * <p>The interface name is written with each run of digits as the count of its digits without
 * leading zeros, those digits, and the count of leading zeros (counts in a prefix code of digit
 * characters, so a longer number sorts after); then NUL (no interface name holds one, and it sorts
 * before every character), the family's ordinal, and the address as 32 hex digits.
 */
final class RowOrder {
    private RowOrder() {
    }

    static String sortKey(NeighborKey key) {
        String name = key.ifname();
        StringBuilder b = new StringBuilder(name.length() + 40);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c <= '!') {
                // a control character (Linux allows some), or '!': '!' then a printable stand-in in
                // the same order, so that the text holds none and the separator stays the least
                b.append('!').append((char) ('@' + c));
                i++;
                continue;
            }
            if (!isDigit(c)) {
                b.append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < name.length() && isDigit(name.charAt(end))) {
                end++;
            }
            int start = i;
            while (start < end - 1 && name.charAt(start) == '0') {
                start++;
            }
            count(b, end - start);
            b.append(name, start, end);
            count(b, start - i);
            i = end;
        }
        b.append(' ').append((char) ('0' + key.ip().family().ordinal()));
        hex(b, key.ip().high());
        hex(b, key.ip().low());
        return b.toString();
    }

    /** {@code n} as digit characters that sort as the numbers do: a '9' per nine, then the rest. */
    private static void count(StringBuilder b, int n) {
        while (n >= 9) {
            b.append('9');
            n -= 9;
        }
        b.append((char) ('0' + n));
    }

    private static void hex(StringBuilder b, long v) {
        String h = Long.toHexString(v);
        b.append("0".repeat(16 - h.length())).append(h);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
