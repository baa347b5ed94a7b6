package net.neighsyncd.api;

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

    private NeighborChange(Op op, NeighborKey key, NeighborRecord record) {
        this.op = op;
        this.key = key;
        this.record = record;
    }

    public static NeighborChange set(NeighborRecord record) {
        return new NeighborChange(Op.SET, record.key(), record);
    }

    public static NeighborChange delete(NeighborKey key) {
        return new NeighborChange(Op.DELETE, Objects.requireNonNull(key, "key"), null);
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
        return c.op == op && c.key.equals(key) && Objects.equals(c.record, record);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, key, record);
    }

    @Override
    public String toString() {
        return op == Op.SET ? "SET " + record : "DEL " + key;
    }
}
