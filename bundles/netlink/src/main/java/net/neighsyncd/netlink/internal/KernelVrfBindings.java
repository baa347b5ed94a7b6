package net.neighsyncd.netlink.internal;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import net.neighsyncd.api.vrf.VrfBindingSource;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRFs of one network namespace's kernel as its netlink reader's link cache shows them
 * ({@link KernelVrfs}), told by the reader thread after each link change and link dump. While no
 * reader runs the last value stays. Registered by {@link NetlinkNeighborSource} beside the source.
 */
final class KernelVrfBindings implements VrfBindingSource, Consumer<VrfBindings> {
    private static final Logger LOG = LoggerFactory.getLogger(KernelVrfBindings.class);

    private final String label;
    private final CopyOnWriteArrayList<Consumer<VrfBindings>> watchers = new CopyOnWriteArrayList<>();
    private volatile VrfBindings current = VrfBindings.NONE;

    KernelVrfBindings(String label) {
        this.label = label;
    }

    @Override
    public VrfOrigin origin() {
        return VrfOrigin.KERNEL;
    }

    @Override
    public VrfBindings current() {
        return current;
    }

    @Override
    public AutoCloseable watch(Consumer<VrfBindings> listener) {
        Objects.requireNonNull(listener, "listener");
        watchers.add(listener);
        return () -> watchers.remove(listener);
    }

    /** The reader's link cache now shows {@code next}; the watchers hear of it when it differs. */
    @Override
    public void accept(VrfBindings next) {
        VrfBindings before = current;
        if (next.equals(before)) {
            return;
        }
        current = next;
        LOG.info("{}: kernel VRFs changed: {} -> {}", label, before, next);
        for (Consumer<VrfBindings> w : watchers) {
            try {
                w.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("{}: a kernel VRF watcher failed", label, e);
            }
        }
    }
}
