package net.neighsyncd.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfPolicy;
import net.neighsyncd.api.vrf.VrfPolicySource;

/**
 * Each interface's VRF policy: the policy of the VRF the bindings put it in. Made anew when the
 * bindings or the policies change; asked on the engine thread per message, so each interface's
 * answer is kept once found (not thread-safe: the engine thread's).
 */
final class VrfPolicyLookup implements Function<String, VrfPolicy> {
    /** No VRF manager: every interface synced as the engine's rules decide. */
    static final VrfPolicyLookup NONE = new VrfPolicyLookup(VrfBindings.NONE, null);

    private final VrfBindings bindings;
    private final VrfPolicySource policies;
    /** What {@code policies} answered when this lookup was made, per VRF asked since: a change makes a new lookup. */
    private final Map<String, VrfPolicy> byInterface = new HashMap<>();
    private final Map<String, VrfPolicy> byVrf;

    private VrfPolicyLookup(VrfBindings bindings, VrfPolicySource policies) {
        this.bindings = bindings;
        this.policies = policies;
        this.byVrf = new HashMap<>();
        if (policies != null) {
            // the policy of every VRF the bindings know, read once now: the lookup compares by them
            for (String vrf : bindings.vrfs()) {
                byVrf.put(vrf, policies.policyOf(vrf));
            }
            byVrf.put(VrfBindings.DEFAULT_VRF, policies.policyOf(VrfBindings.DEFAULT_VRF));
        }
    }

    static VrfPolicyLookup of(VrfBindings bindings, VrfPolicySource policies) {
        return new VrfPolicyLookup(bindings, policies);
    }

    @Override
    public VrfPolicy apply(String ifname) {
        VrfPolicy p = byInterface.get(ifname);
        if (p == null) {
            p = policies == null ? VrfPolicy.SYNC_ALL
                    : byVrf.getOrDefault(bindings.vrfOf(ifname), VrfPolicy.SYNC_ALL);
            byInterface.put(ifname, p);
        }
        return p;
    }

    /**
     * Whether this lookup answers as {@code other} does for every interface: the same policy for
     * each VRF, and every interface whose policy differs from the default VRF's in the same VRF.
     */
    boolean sameAs(VrfPolicyLookup other) {
        return effective().equals(other.effective()) && defaultPolicy().equals(other.defaultPolicy());
    }

    private VrfPolicy defaultPolicy() {
        return byVrf.getOrDefault(VrfBindings.DEFAULT_VRF, VrfPolicy.SYNC_ALL);
    }

    /** The bound interfaces whose policy is not the default VRF's, with their policy. */
    private Map<String, VrfPolicy> effective() {
        Map<String, VrfPolicy> out = new HashMap<>();
        VrfPolicy unbound = defaultPolicy();
        for (Map.Entry<String, String> e : bindings.interfaces().entrySet()) {
            VrfPolicy p = byVrf.getOrDefault(e.getValue(), VrfPolicy.SYNC_ALL);
            if (!p.equals(unbound)) {
                out.put(e.getKey(), p);
            }
        }
        return out;
    }
}
