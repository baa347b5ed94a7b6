package net.neighsyncd.core.internal;

import java.util.Map;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.neighbor.NeighborMessage;

/** An engine wired by hand as DS would, started, and past a first dump of the kernel's neighbors. */
final class FirstDump {
    private FirstDump() {
    }

    /**
     * Binds {@code applDb} as the APPL_DB sink and {@code source}, starts {@code engine} with its
     * defaults, and plays a first dump of {@code neighbors}; returns once the sink acknowledged
     * them all (the watch numbered as many changes).
     */
    static void of(SyncEngineComponent engine, NeighborSink applDb, CapturingSource source,
            NeighborMessage... neighbors) throws InterruptedException {
        engine.bindSink(applDb, Map.of(NeighborSink.APPL_DB_PROPERTY, true, "service.id", 1L));
        engine.bindSource(source, Map.of());
        engine.start(EngineConfigs.of(Map.of()));
        Wait.until(() -> source.handler != null);
        source.handler.onDumpStarted();
        for (NeighborMessage m : neighbors) {
            source.handler.onNeighbor(m);
        }
        source.handler.onDumpCompleted();
        Wait.until(() -> engine.position().revision() == neighbors.length);
    }
}
