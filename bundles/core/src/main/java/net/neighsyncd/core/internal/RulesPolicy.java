package net.neighsyncd.core.internal;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.engine.SwitchModes;

/**
 * What an operator tunes on top of SONiC's rules: the dual-ToR and link-local modes forced on or
 * off instead of read from CONFIG_DB, interfaces to ignore, and the families to sync.
 *
 * @param dualTor   {@code AUTO}: CONFIG_DB {@code PEER_SWITCH}; {@code ON}/{@code OFF}: forced
 * @param linkLocal {@code AUTO}: CONFIG_DB per interface; {@code ALWAYS}/{@code NEVER}: forced
 * @param ignore    interface names matching it are not synced; null: none ignored
 * @param families  the families synced
 */
record RulesPolicy(Mode dualTor, LinkLocal linkLocal, Pattern ignore, Set<Family> families) {

    enum Mode {
        AUTO,
        ON,
        OFF
    }

    enum LinkLocal {
        AUTO,
        ALWAYS,
        NEVER
    }

    /** SONiC's behaviour: modes from CONFIG_DB, every interface, both families. */
    static final RulesPolicy SONIC = new RulesPolicy(Mode.AUTO, LinkLocal.AUTO, null, EnumSet.allOf(Family.class));

    RulesPolicy {
        families = families.isEmpty() ? Set.of() : EnumSet.copyOf(families);
    }

    boolean dualTor(SwitchModes modes) {
        return dualTor == Mode.AUTO ? modes.dualTor() : dualTor == Mode.ON;
    }

    boolean linkLocalOnly(SwitchModes modes, String ifname) {
        return linkLocal == LinkLocal.AUTO ? modes.linkLocalOnly(ifname) : linkLocal == LinkLocal.ALWAYS;
    }

    /** Whether link-local-only mode is on for at least one interface: forced, or by CONFIG_DB. */
    boolean anyLinkLocalOnly(SwitchModes modes) {
        return linkLocal == LinkLocal.AUTO ? !modes.linkLocalInterfaces().isEmpty() : linkLocal == LinkLocal.ALWAYS;
    }

    boolean ignored(String ifname) {
        return ignore != null && ignore.matcher(ifname).matches();
    }

    boolean synced(Family family) {
        return families.contains(family);
    }

    /** Same settings (a Pattern has no value equality). */
    boolean sameAs(RulesPolicy o) {
        return o != null && dualTor == o.dualTor && linkLocal == o.linkLocal && families.equals(o.families)
                && (ignore == null ? o.ignore == null : o.ignore != null && ignore.pattern().equals(o.ignore.pattern()));
    }

    @Override
    public String toString() {
        return "dualTorMode=" + dualTor.name().toLowerCase() + " linkLocalMode=" + linkLocal.name().toLowerCase()
                + " ignoreInterfaces=" + (ignore == null ? "" : ignore.pattern()) + " families=" + families;
    }
}
