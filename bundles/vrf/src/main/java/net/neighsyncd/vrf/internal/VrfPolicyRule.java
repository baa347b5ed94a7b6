package net.neighsyncd.vrf.internal;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.vrf.VrfPolicy;

/**
 * One VRF policy configuration, validated: the VRFs it names (one name, or a pattern) and the
 * policy they get.
 *
 * @param pid     the configuration's PID, for logs
 * @param name    the VRF named exactly, or null when {@code pattern} names them
 * @param pattern a Java regular expression matching whole VRF names, or null
 * @param ranking among several patterns matching one VRF, the highest wins (an exact name beats any)
 * @param policy  what the VRFs get
 */
record VrfPolicyRule(String pid, String name, Pattern pattern, int ranking, VrfPolicy policy) {

    /** A configuration that is no valid rule; the message names the PID, the key and why. */
    static final class InvalidRuleException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidRuleException(String message) {
            super(message);
        }
    }

    static VrfPolicyRule from(String pid, VrfPolicyConfig.Config c) throws InvalidRuleException {
        String vrf = c.vrf() == null ? "" : c.vrf().strip();
        if (vrf.isEmpty()) {
            throw new InvalidRuleException(pid + ": vrf is empty (a VRF name, e.g. Vrf-red, or a pattern, e.g. Vrf-.*)");
        }
        String name = null;
        Pattern pattern = null;
        if (vrf.matches("[A-Za-z0-9_.-]+")) {
            name = vrf;
        } else {
            try {
                pattern = Pattern.compile(vrf);
            } catch (PatternSyntaxException e) {
                throw new InvalidRuleException(pid + ": vrf=" + vrf + " is neither a VRF name nor a regular expression: "
                        + e.getDescription());
            }
        }
        Set<Family> families = EnumSet.noneOf(Family.class);
        for (String f : c.families()) {
            String t = f.strip();
            if (t.equalsIgnoreCase("IPv4")) {
                families.add(Family.IPV4);
            } else if (t.equalsIgnoreCase("IPv6")) {
                families.add(Family.IPV6);
            } else if (!t.isEmpty()) {
                throw new InvalidRuleException(pid + ": families has " + t + " (IPv4, IPv6)");
            }
        }
        VrfPolicy.LinkLocal linkLocal;
        try {
            linkLocal = VrfPolicy.LinkLocal.valueOf(c.linkLocal().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(pid + ": linkLocal=" + c.linkLocal() + " (inherit, always, never)");
        }
        return new VrfPolicyRule(pid, name, pattern, c.ranking(), new VrfPolicy(c.sync(), families, linkLocal));
    }

    boolean matches(String vrf) {
        return name != null ? name.equals(vrf) : pattern.matcher(vrf).matches();
    }

    @Override
    public String toString() {
        return (name != null ? name : "/" + pattern.pattern() + "/") + ": sync=" + policy.sync() + " families="
                + policy.families() + " linkLocal=" + policy.linkLocal().name().toLowerCase(Locale.ROOT);
    }
}
