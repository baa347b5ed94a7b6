package net.neighsyncd.vrf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import net.neighsyncd.api.vrf.VrfPolicy;
import org.junit.jupiter.api.Test;

class VrfPoliciesTest {

    /** A configuration as DS would hand it. */
    private static VrfPolicyConfig.Config config(String vrf, boolean sync, String linkLocal, int ranking,
            String... families) {
        return new VrfPolicyConfig.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return VrfPolicyConfig.Config.class;
            }

            @Override
            public String vrf() {
                return vrf;
            }

            @Override
            public boolean sync() {
                return sync;
            }

            @Override
            public String[] families() {
                return families.length == 0 ? new String[] {"IPv4", "IPv6"} : families;
            }

            @Override
            public String linkLocal() {
                return linkLocal;
            }

            @Override
            public int ranking() {
                return ranking;
            }

            @Override
            public String webconsole_configurationFactory_nameHint() {
                return "";
            }
        };
    }

    private static VrfPolicyRule rule(String pid, VrfPolicyConfig.Config c) throws Exception {
        return VrfPolicyRule.from(pid, c);
    }

    @Test
    void anExactNameBeatsAPatternAndTheHigherRankedPatternBeatsTheOther() throws Exception {
        // given: a pattern for every Vrf-*, a higher-ranked one for Vrf-m*, and Vrf-red by name
        VrfPolicies p = new VrfPolicies();
        p.rules(List.of(rule("a", config("Vrf-.*", false, "inherit", 0)),
                rule("b", config("Vrf-m.*", true, "never", 5, "IPv4")),
                rule("c", config("Vrf-red", true, "always", 0))));
        // then
        assertEquals(VrfPolicy.LinkLocal.ALWAYS, p.policyOf("Vrf-red").linkLocal());
        assertEquals(VrfPolicy.LinkLocal.NEVER, p.policyOf("Vrf-mgmt").linkLocal());
        assertEquals(false, p.policyOf("Vrf-blue").sync());
        assertEquals(VrfPolicy.SYNC_ALL, p.policyOf("default"));
    }

    @Test
    void invalidValuesAreRejectedNamingThePidAndTheKey() {
        assertTrue(assertThrows(VrfPolicyRule.InvalidRuleException.class,
                () -> rule("p1", config(" ", true, "inherit", 0))).getMessage().startsWith("p1: vrf is empty"));
        assertTrue(assertThrows(VrfPolicyRule.InvalidRuleException.class,
                () -> rule("p2", config("Vrf-[", true, "inherit", 0))).getMessage().contains("neither a VRF name"));
        assertTrue(assertThrows(VrfPolicyRule.InvalidRuleException.class,
                () -> rule("p3", config("Vrf-red", true, "sometimes", 0))).getMessage().contains("linkLocal=sometimes"));
        assertTrue(assertThrows(VrfPolicyRule.InvalidRuleException.class,
                () -> rule("p4", config("Vrf-red", true, "inherit", 0, "IPX"))).getMessage().contains("families has IPX"));
    }
}
