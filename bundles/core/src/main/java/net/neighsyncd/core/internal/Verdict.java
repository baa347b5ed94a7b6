package net.neighsyncd.core.internal;

import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.neighbor.NeighborRecord;

/**
 * What SONiC's rules make of one kernel neighbor message: write an entry, delete the key, or
 * ignore the message. SONiC's rules are of two kinds, and the difference matters to orchagent:
 * a rule that <em>ignores a message</em> leaves whatever APPL_DB holds for the key as it is (the
 * C++ daemon returns without writing), a rule that says <em>this entry is not wanted</em>
 * deletes it. Every verdict reached by a rule that drops the message carries its
 * {@link DropReason}, whose {@link DropReason#effect() effect} is one of the two.
 */
final class Verdict {
    enum Kind {
        /** Write the entry of {@link #record()}. */
        SET,
        /** The entry is not wanted: delete what is written for the key. */
        DELETE,
        /** Ignore this message: the key keeps what its last accepted message made of it. */
        IGNORE
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

    /** A delete that SONiC's rules ask for (RTM_DELNEIGH, an unresolved neighbor, EVPN NOARP). */
    static Verdict delete() {
        return DELETE;
    }

    /** The message is dropped for {@code reason}: ignored or, by the reason's effect, its entry deleted. */
    static Verdict drop(DropReason reason) {
        return new Verdict(DropEffect.of(reason) == DropEffect.IGNORE_MESSAGE ? Kind.IGNORE : Kind.DELETE, null,
                reason);
    }

    Kind kind() {
        return kind;
    }

    /** The entry of a SET verdict. */
    NeighborRecord record() {
        return record;
    }

    /** Why the message was dropped; {@code null} for a set and for a delete the rules ask for. */
    DropReason reason() {
        return reason;
    }

    @Override
    public String toString() {
        switch (kind) {
            case SET:
                return "SET " + record;
            case DELETE:
                return reason == null ? "DELETE" : "DELETE " + reason.label();
            default:
                return "IGNORE " + reason.label();
        }
    }
}
