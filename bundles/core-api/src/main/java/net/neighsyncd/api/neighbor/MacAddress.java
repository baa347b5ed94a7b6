package net.neighsyncd.api.neighbor;

/** An immutable 48-bit Ethernet address, kept as one {@code long}. */
public final class MacAddress {
    public static final MacAddress ZERO = new MacAddress(0L);
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Bytes of {@link #toString()}'s text. */
    public static final int TEXT_LENGTH = 17;

    private final long bits;

    private MacAddress(long bits) {
        this.bits = bits;
    }

    /** The address held in the low 48 bits of {@code bits}. */
    public static MacAddress ofBits(long bits) {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: " + Long.toHexString(bits));
        }
        return new MacAddress(bits);
    }

    /** The address in six bytes, network order. */
    public static MacAddress of(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, got " + bytes.length);
        }
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (either case). */
    public static MacAddress parse(String text) {
        if (text == null || text.length() != 17) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            int p = i * 3;
            if (i > 0 && text.charAt(p - 1) != ':') {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            int hi = Character.digit(text.charAt(p), 16);
            int lo = Character.digit(text.charAt(p + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            v = (v << 8) | (hi << 4) | lo;
        }
        return new MacAddress(v);
    }

    public long bits() {
        return bits;
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    public boolean isZero() {
        return bits == 0;
    }

    /** Lower case, colon separated: the form of the APPL_DB {@code neigh} field. */
    @Override
    public String toString() {
        byte[] out = new byte[TEXT_LENGTH];
        writeText(out, 0);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@link #toString()}'s text as ASCII bytes into {@code out} from {@code at}
     * ({@link #TEXT_LENGTH} of them), for a writer that sends bytes without making a string first.
     *
     * @since 1.1
     */
    public void writeText(byte[] out, int at) {
        for (int i = 0; i < 6; i++) {
            int b = (int) (bits >>> (40 - 8 * i)) & 0xFF;
            out[at + i * 3] = HEX[b >>> 4];
            out[at + i * 3 + 1] = HEX[b & 0xF];
            if (i < 5) {
                out[at + i * 3 + 2] = ':';
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress && ((MacAddress) o).bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }
}
