package net.neighsyncd.core.internal;

import net.neighsyncd.api.engine.NeighborEventHandler;
import net.neighsyncd.api.engine.NeighborSource;

/** A neighbor source that keeps the handler the engine subscribes with, so that a test plays the kernel. */
final class CapturingSource implements NeighborSource {
    volatile NeighborEventHandler handler;
    /** Dumps the engine asked for. */
    final java.util.concurrent.atomic.AtomicInteger dumpsRequested = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public AutoCloseable subscribe(NeighborEventHandler h) {
        handler = h;
        return () -> handler = null;
    }

    @Override
    public void requestDump() {
        dumpsRequested.incrementAndGet();
    }

    @Override
    public String namespace() {
        return "";
    }
}
