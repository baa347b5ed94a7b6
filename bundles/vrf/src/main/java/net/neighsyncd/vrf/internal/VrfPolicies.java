package net.neighsyncd.vrf.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import net.neighsyncd.api.vrf.VrfPolicy;
import net.neighsyncd.api.vrf.VrfPolicySource;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The VRF policies in force: every valid {@link VrfPolicyConfig}. A VRF gets the policy that
 * names it exactly, else the highest-ranked pattern matching it (then the first by PID), else
 * {@link VrfPolicy#SYNC_ALL}.
 */
@Component(service = VrfPolicySource.class)
public final class VrfPolicies implements VrfPolicySource {
    private final List<VrfPolicyConfig> configs = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<VrfPolicySource>> watchers = new CopyOnWriteArrayList<>();
    private volatile List<VrfPolicyRule> rules = List.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedConfig")
    void bindConfig(VrfPolicyConfig c) {
        configs.add(c);
        changed();
    }

    void updatedConfig(VrfPolicyConfig c) {
        changed();
    }

    void unbindConfig(VrfPolicyConfig c) {
        configs.remove(c);
        changed();
    }

    /** A configuration came, went or changed: the rules are read again and the watchers told. */
    void changed() {
        List<VrfPolicyRule> next = new ArrayList<>();
        for (VrfPolicyConfig c : configs) {
            VrfPolicyRule r = c.rule();
            if (r != null) {
                next.add(r);
            }
        }
        next.sort((a, b) -> a.pid().compareTo(b.pid()));
        rules = List.copyOf(next);
        for (Consumer<VrfPolicySource> w : watchers) {
            w.accept(this);
        }
    }

    /** Sets the rules directly (a unit test). */
    void rules(List<VrfPolicyRule> next) {
        rules = List.copyOf(next);
    }

    @Override
    public VrfPolicy policyOf(String vrf) {
        VrfPolicyRule best = null;
        for (VrfPolicyRule r : rules) {
            if (!r.matches(vrf)) {
                continue;
            }
            if (r.name() != null) {
                return r.policy();
            }
            if (best == null || r.ranking() > best.ranking()) {
                best = r;
            }
        }
        return best == null ? VrfPolicy.SYNC_ALL : best.policy();
    }

    @Override
    public AutoCloseable watch(Consumer<VrfPolicySource> listener) {
        Objects.requireNonNull(listener, "listener");
        watchers.add(listener);
        return () -> watchers.remove(listener);
    }
}
