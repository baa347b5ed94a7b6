package net.neighsyncd.vrf.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import net.neighsyncd.api.vrf.VrfBindingSource;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfOrigin;
import net.neighsyncd.api.vrf.VrfResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRFs of one namespace: follows its {@link VrfBindingSource}s (CONFIG_DB, the kernel), as
 * they come and go, and is their merge ({@link VrfMerge}) as the namespace's {@link VrfResolver}.
 * A disagreement between CONFIG_DB and the kernel is logged once per change of the set of
 * disagreements. {@link VrfManagers} keeps one per namespace.
 */
final class VrfManager implements VrfResolver {
    private static final Logger LOG = LoggerFactory.getLogger(VrfManager.class);

    private final Object lock = new Object();
    /** Held from a merge to the end of its notifications, so that watchers hear the merges in order. */
    private final Object merging = new Object();
    /** Each followed source, with what it said last and its watch. */
    private final Map<VrfBindingSource, Followed> sources = new LinkedHashMap<>();
    private final CopyOnWriteArrayList<Consumer<VrfBindings>> watchers = new CopyOnWriteArrayList<>();
    private volatile VrfBindings current = VrfBindings.NONE;
    private Map<String, String> disagreements = Map.of();
    private final String label;

    /** {@code label} names the namespace in logs. */
    VrfManager(String label) {
        this.label = label;
    }

    private static final class Followed {
        final VrfOrigin origin;
        VrfBindings last;
        AutoCloseable watch;

        Followed(VrfOrigin origin, VrfBindings last) {
            this.origin = origin;
            this.last = last;
        }
    }

    void bindSource(VrfBindingSource source) {
        Followed f = new Followed(source.origin(), source.current());
        synchronized (lock) {
            sources.put(source, f);
        }
        f.watch = source.watch(next -> sourceChanged(source, next));
        LOG.info("{}: following the {} VRF source: {}", label, f.origin, f.last);
        recompute();
    }

    /** Stops following {@code source}; returns whether any source is left. */
    boolean unbindSource(VrfBindingSource source) {
        Followed f;
        synchronized (lock) {
            f = sources.remove(source);
        }
        if (f == null) {
            return hasSources();
        }
        close(f);
        LOG.info("{}: the {} VRF source is gone; its bindings no longer count", label, f.origin);
        recompute();
        return hasSources();
    }

    private boolean hasSources() {
        synchronized (lock) {
            return !sources.isEmpty();
        }
    }

    /** Stops following every source. */
    void close() {
        List<Followed> all;
        synchronized (lock) {
            all = new ArrayList<>(sources.values());
            sources.clear();
        }
        all.forEach(VrfManager::close);
        watchers.clear();
    }

    private static void close(Followed f) {
        if (f.watch == null) {
            return;
        }
        try {
            f.watch.close();
        } catch (Exception e) {
            LOG.debug("closing the watch of the {} VRF source failed", f.origin, e);
        }
    }

    private void sourceChanged(VrfBindingSource source, VrfBindings next) {
        synchronized (lock) {
            Followed f = sources.get(source);
            if (f == null) {
                return;
            }
            f.last = next;
        }
        recompute();
    }

    private void recompute() {
        synchronized (merging) {
            mergeAndTell();
        }
    }

    private void mergeAndTell() {
        VrfBindings next;
        synchronized (lock) {
            List<Map.Entry<VrfOrigin, VrfBindings>> said = new ArrayList<>();
            for (Followed f : sources.values()) {
                said.add(Map.entry(f.origin, f.last));
            }
            VrfMerge.Result r = VrfMerge.of(said);
            if (!r.disagreements().equals(disagreements)) {
                disagreements = r.disagreements();
                if (!disagreements.isEmpty()) {
                    LOG.info("{}: CONFIG_DB and the kernel disagree on the VRF of {} (CONFIG_DB / kernel); "
                            + "CONFIG_DB's binding is in force", label, disagreements);
                }
            }
            next = r.bindings();
            if (next.equals(current)) {
                return;
            }
            LOG.info("{}: VRF bindings in force: {}", label, next);
            current = next;
        }
        for (Consumer<VrfBindings> w : watchers) {
            try {
                w.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("a VRF watcher failed", e);
            }
        }
    }

    /** Interfaces whose VRF CONFIG_DB and the kernel disagree on, as "CONFIG_DB's / the kernel's". */
    Map<String, String> disagreements() {
        synchronized (lock) {
            return disagreements;
        }
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
}
