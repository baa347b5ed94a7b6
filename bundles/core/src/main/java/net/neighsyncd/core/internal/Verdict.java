package net.neighsyncd.core.internal;

import net.neighsyncd.api.NeighborRecord;

/** What SONiC's rules make of one kernel neighbor message. */
final class Verdict {
    enum Kind {
        SET,
        DELETE,
        DROP
    }

    private static final Verdict DELETE = new Verdict(Kind.DELETE, null, null);

    private final Kind kind;
    private final NeighborRecord record;
    private final DropReason reason;

    private Verdict(Kind kind, NeighborRecord record, DropReason reason) {
        this.kind = kind;
        this.record = record;
        this.reason = reason;
    }

    static Verdict set(NeighborRecord record) {
        return new Verdict(Kind.SET, record, null);
    }

    static Verdict delete() {
        return DELETE;
    }

    static Verdict drop(DropReason reason) {
        return new Verdict(Kind.DROP, null, reason);
    }

    Kind kind() {
        return kind;
    }

    /** The entry of a SET verdict. */
    NeighborRecord record() {
        return record;
    }

    /** The reason of a DROP verdict. */
    DropReason reason() {
        return reason;
    }

    @Override
    public String toString() {
        switch (kind) {
            case SET:
                return "SET " + record;
            case DELETE:
                return "DELETE";
            default:
                return "DROP " + reason.label();
        }
    }
}
