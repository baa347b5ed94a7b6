package net.neighsyncd.api.neighbor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One APPL_DB {@code NEIGH_TABLE} entry: its key and the {@code neigh} and {@code family} fields. */
public final class NeighborRecord {
    public static final String FIELD_NEIGH = "neigh";
    public static final String FIELD_FAMILY = "family";

    private final NeighborKey key;
    private final MacAddress mac;

    public NeighborRecord(NeighborKey key, MacAddress mac) {
        this.key = Objects.requireNonNull(key, "key");
        this.mac = Objects.requireNonNull(mac, "mac");
    }

    public NeighborKey key() {
        return key;
    }

    public MacAddress mac() {
        return mac;
    }

    /** The family follows from the address of the key. */
    public Family family() {
        return key.ip().family();
    }

    /** A copy with another MAC address: what a rewriting filter returns. */
    public NeighborRecord withMac(MacAddress other) {
        return new NeighborRecord(key, other);
    }

    /** The fields as written to APPL_DB, in SONiC's order: {@code neigh}, {@code family}. */
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>(4);
        m.put(FIELD_NEIGH, mac.toString());
        m.put(FIELD_FAMILY, family().sonicName());
        return m;
    }

    /** Same key, same fields. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NeighborRecord)) {
            return false;
        }
        NeighborRecord r = (NeighborRecord) o;
        return r.key.equals(key) && r.mac.equals(mac);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + mac.hashCode();
    }

    @Override
    public String toString() {
        return key + " neigh=" + mac + " family=" + family().sonicName();
    }
}
