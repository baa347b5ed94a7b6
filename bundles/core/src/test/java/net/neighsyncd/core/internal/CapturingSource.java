package net.neighsyncd.core.internal;

import net.neighsyncd.api.engine.NeighborEventHandler;
import net.neighsyncd.api.engine.NeighborSource;

/** A neighbor source that keeps the handler the engine subscribes with, so that a test plays the kernel. */
final class CapturingSource implements NeighborSource {
    volatile NeighborEventHandler handler;

    @Override
    public AutoCloseable subscribe(NeighborEventHandler h) {
        handler = h;
        return () -> handler = null;
    }

    @Override
    public void requestDump() {
    }

    @Override
    public String namespace() {
        return "";
    }
}
