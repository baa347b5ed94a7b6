package net.neighsyncd.api.neighbor;

import java.util.Objects;

/** One write to a sink: set an entry to a record, or delete a key. */
public final class NeighborChange {
    /** What the change does to its key. */
    public enum Op {
        SET,
        DELETE
    }

    private final Op op;
    private final NeighborKey key;
    private final NeighborRecord record;
    private final String hostRouteVrf;

    private NeighborChange(Op op, NeighborKey key, NeighborRecord record, String hostRouteVrf) {
        this.op = op;
        this.key = key;
        this.record = record;
        this.hostRouteVrf = hostRouteVrf;
    }

    public static NeighborChange set(NeighborRecord record) {
        return new NeighborChange(Op.SET, record.key(), record, null);
    }

    /**
     * A set that first removes the host route {@code ROUTE_TABLE:<vrf>:<ip>} of the neighbor
     * from APPL_DB, as SONiC does on an EVPN VXLAN switch for a neighbor on an interface in VRF
     * {@code vrf}. Sinks other than APPL_DB ignore the route.
     *
     * @since 1.4
     */
    public static NeighborChange setReplacingHostRoute(NeighborRecord record, String vrf) {
        return new NeighborChange(Op.SET, record.key(), record, Objects.requireNonNull(vrf, "vrf"));
    }

    public static NeighborChange delete(NeighborKey key) {
        return new NeighborChange(Op.DELETE, Objects.requireNonNull(key, "key"), null, null);
    }

    /** The VRF whose host route to this neighbor is removed before the set, or {@code null}; since 1.4. */
    public String hostRouteVrf() {
        return hostRouteVrf;
    }

    public Op op() {
        return op;
    }

    public NeighborKey key() {
        return key;
    }

    /** The new entry of a {@link Op#SET}; {@code null} for a delete. */
    public NeighborRecord record() {
        return record;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NeighborChange)) {
            return false;
        }
        NeighborChange c = (NeighborChange) o;
        return c.op == op && c.key.equals(key) && Objects.equals(c.record, record)
                && Objects.equals(c.hostRouteVrf, hostRouteVrf);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, key, record, hostRouteVrf);
    }

    @Override
    public String toString() {
        return op == Op.SET ? "SET " + record : "DEL " + key;
    }
}
