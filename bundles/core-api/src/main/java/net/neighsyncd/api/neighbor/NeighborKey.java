package net.neighsyncd.api.neighbor;

import java.util.Objects;
import java.util.Optional;

/** The APPL_DB key of a neighbor: {@code <ifname>:<ip>}. */
public final class NeighborKey {
    private final String ifname;
    private final IpAddress ip;

    public NeighborKey(String ifname, IpAddress ip) {
        this.ifname = Objects.requireNonNull(ifname, "ifname");
        this.ip = Objects.requireNonNull(ip, "ip");
    }

    /** Parses {@code <ifname>:<ip>}; the interface name ends at the first colon. */
    public static NeighborKey parse(String key) {
        int colon = key.indexOf(':');
        if (colon <= 0 || colon == key.length() - 1) {
            throw new IllegalArgumentException("not a NEIGH_TABLE key: " + key);
        }
        return new NeighborKey(key.substring(0, colon), IpAddress.parse(key.substring(colon + 1)));
    }

    /**
     * The key {@code text} spells when it is one in canonical form, as this daemon writes keys
     * (the address as {@code inet_ntop} prints it); empty for any other text, parsable or not.
     *
     * @since 1.7
     */
    public static Optional<NeighborKey> canonical(String text) {
        try {
            NeighborKey k = parse(text);
            return k.toString().equals(text) ? Optional.of(k) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String ifname() {
        return ifname;
    }

    public IpAddress ip() {
        return ip;
    }

    @Override
    public String toString() {
        return ifname + ':' + ip;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NeighborKey)) {
            return false;
        }
        NeighborKey k = (NeighborKey) o;
        return k.ifname.equals(ifname) && k.ip.equals(ip);
    }

    @Override
    public int hashCode() {
        return 31 * ifname.hashCode() + ip.hashCode();
    }
}
