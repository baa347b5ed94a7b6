package net.neighsyncd.systemd.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.neighsyncd.api.engine.SyncEngine;

/**
 * Looks at every pipeline's engine, each through an {@link EngineProbe} of its own (one that
 * hangs holds up only its own answer), and answers with the one that fares worst: an engine
 * that gave no status, else a live one that is not ready, else a live one, else the first. So
 * systemd hears READY once every live pipeline is in sync, and the watchdog is fed while the
 * engines answer and one of them lives: a pipeline that failed ends only itself (its
 * {@code /health/ready} stays 503), as it would on SONiC, where each ASIC has its own daemon.
 */
final class EnginesProbe implements AutoCloseable {
    private final Supplier<List<SyncEngine>> engines;
    private final long timeoutNanos;
    private final Map<SyncEngine, EngineProbe> probes = new IdentityHashMap<>();

    EnginesProbe(Supplier<List<SyncEngine>> engines, long timeoutNanos) {
        this.engines = engines;
        this.timeoutNanos = timeoutNanos;
    }

    synchronized EngineObservation observe() {
        List<SyncEngine> now = engines.get();
        probes.keySet().removeIf(e -> {
            if (!now.contains(e)) {
                probes.get(e).close();
                return true;
            }
            return false;
        });
        if (now.isEmpty()) {
            return EngineObservation.missing("waiting for the sync engine");
        }
        List<EngineObservation> seen = new ArrayList<>(now.size());
        for (SyncEngine e : now) {
            EngineObservation o = probes.computeIfAbsent(e, x -> new EngineProbe(() -> x, timeoutNanos)).observe();
            if (o.status() == null) {
                return o;
            }
            seen.add(o);
        }
        for (EngineObservation o : seen) {
            if (o.live() && !o.status().health().ready()) {
                return o;
            }
        }
        for (EngineObservation o : seen) {
            if (o.live()) {
                return o;
            }
        }
        return seen.get(0);
    }

    /** Waits until every engine's last {@code status()} call has returned (tests). */
    synchronized void awaitLastCall() throws InterruptedException {
        for (EngineProbe p : probes.values()) {
            p.awaitLastCall();
        }
    }

    @Override
    public synchronized void close() {
        probes.values().forEach(EngineProbe::close);
        probes.clear();
    }
}
