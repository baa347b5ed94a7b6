package net.neighsyncd.api.neighbor;

/** Text to address bytes, with no name service involved. */
final class IpAddressParser {
    private IpAddressParser() {
    }

    static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        if (text.indexOf(':') < 0) {
            byte[] v4 = parseV4(text);
            if (v4 == null) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            return v4;
        }
        byte[] v6 = parseV6(text);
        if (v6 == null) {
            throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        return v6;
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseV6(String text) {
        int dbl = text.indexOf("::");
        if (dbl >= 0 && text.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? text.substring(0, dbl) : text;
        String tail = dbl >= 0 ? text.substring(dbl + 2) : "";
        int[] headWords = words(head);
        int[] tailWords = words(tail);
        if (headWords == null || tailWords == null) {
            return null;
        }
        int total = headWords.length + tailWords.length;
        if (dbl < 0 ? total != 8 : total > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(headWords, 0, all, 0, headWords.length);
        System.arraycopy(tailWords, 0, all, 8 - tailWords.length, tailWords.length);
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (all[i] >>> 8);
            out[2 * i + 1] = (byte) all[i];
        }
        return out;
    }

    /** Groups of one side of "::"; a trailing dotted quad counts as two groups. */
    private static int[] words(String side) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] groups = side.split(":", -1);
        int n = groups.length;
        boolean v4Tail = groups[n - 1].indexOf('.') >= 0;
        int[] out = new int[v4Tail ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String g = groups[i];
            if (v4Tail && i == n - 1) {
                byte[] v4 = parseV4(g);
                if (v4 == null) {
                    return null;
                }
                out[i] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
                out[i + 1] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
                continue;
            }
            if (g.isEmpty() || g.length() > 4) {
                return null;
            }
            int v = 0;
            for (int c = 0; c < g.length(); c++) {
                int d = Character.digit(g.charAt(c), 16);
                if (d < 0) {
                    return null;
                }
                v = (v << 4) | d;
            }
            out[i] = v;
        }
        return out;
    }
}
