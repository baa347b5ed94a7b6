package net.neighsyncd.rest.internal;

import java.util.Locale;
import net.neighsyncd.api.engine.NeighborExplanation;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborMessage;

/**
 * {@code GET /api/v1/neighbors/{ifname}/{ip}} (openapi.json: NeighborExplanation): the kernel's
 * view of the key, what the rules make of it and why, and what APPL_DB holds.
 *
 * @param kernel  the kernel's last message; null when it has none
 * @param verdict what the rules and filters in force make of it
 * @param applDb  what APPL_DB holds and what is on its way
 */
record ExplanationDocument(String key, String ifname, String ip, String family, String vrf, Kernel kernel,
        Verdict verdict, ApplDb applDb) {

    /** The kernel's last message: its NUD state, MAC (null when none), and whether it was a delete. */
    record Kernel(String state, String mac, boolean deleted, int ifindex, String master) {
    }

    /**
     * @param disposition {@code synced}, {@code deleted}, {@code dropped}, {@code ignored} or {@code not_in_kernel}
     * @param reason      the drop reason's label; null unless dropped or ignored
     * @param mac         the MAC the rules want written; null unless synced
     */
    record Verdict(String disposition, String reason, String mac) {
    }

    /**
     * @param mac     what APPL_DB holds, as acknowledged; null when nothing
     * @param pending whether a write is on its way
     * @param writing the MAC on its way (null when a delete, or nothing, is); null unless pending
     */
    record ApplDb(String mac, boolean pending, String writing) {
    }

    static ExplanationDocument of(NeighborExplanation e) {
        NeighborMessage m = e.kernel();
        Kernel kernel = m == null ? null : new Kernel(NudCategory.of(m.state()).label(), text(m.mac()), m.deleted(),
                m.ifindex(), m.masterName());
        Verdict verdict = new Verdict(e.disposition().name().toLowerCase(Locale.ROOT),
                e.reason() == null ? null : e.reason().label(), text(e.desired()));
        ApplDb applDb = new ApplDb(text(e.acknowledged()), e.pending(), e.pending() ? text(e.applied()) : null);
        return new ExplanationDocument(e.key().toString(), e.key().ifname(), e.key().ip().toString(),
                e.key().ip().family().sonicName(), e.vrf(), kernel, verdict, applDb);
    }

    private static String text(MacAddress mac) {
        return mac == null ? null : mac.toString();
    }
}
