package net.neighsyncd.api.neighbor;

/** Address family of a neighbor, with the text SONiC writes into the {@code family} field. */
public enum Family {
    IPV4(2, "IPv4", 4),
    IPV6(10, "IPv6", 16);

    /** Linux {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** Linux {@code AF_INET6}. */
    public static final int AF_INET6 = 10;

    private final int addressFamily;
    private final String sonicName;
    private final int addressLength;

    Family(int addressFamily, String sonicName, int addressLength) {
        this.addressFamily = addressFamily;
        this.sonicName = sonicName;
        this.addressLength = addressLength;
    }

    /** The Linux address family number ({@code AF_INET} or {@code AF_INET6}). */
    public int addressFamily() {
        return addressFamily;
    }

    /** The value of the APPL_DB {@code family} field: {@code IPv4} or {@code IPv6}. */
    public String sonicName() {
        return sonicName;
    }

    /** Length of an address of this family in bytes. */
    public int addressLength() {
        return addressLength;
    }

    /** The family for a Linux address family number, or {@code null} when it is neither IPv4 nor IPv6. */
    public static Family ofAddressFamily(int af) {
        switch (af) {
            case AF_INET:
                return IPV4;
            case AF_INET6:
                return IPV6;
            default:
                return null;
        }
    }

    /** The family for an APPL_DB {@code family} field value, or {@code null} when unknown. */
    public static Family ofSonicName(String name) {
        for (Family f : values()) {
            if (f.sonicName.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
