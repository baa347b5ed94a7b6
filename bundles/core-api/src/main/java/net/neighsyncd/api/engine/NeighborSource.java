package net.neighsyncd.api.engine;

import org.osgi.annotation.versioning.ProviderType;

/** A source of kernel neighbor messages, one per network namespace. */
@ProviderType
public interface NeighborSource {

    /** Service property naming the network namespace a source watches; empty for the daemon's own. */
    String NAMESPACE_PROPERTY = net.neighsyncd.api.pipeline.Pipelines.NAMESPACE_PROPERTY;

    /**
     * Starts delivering to {@code handler}: a full dump first, then live events. One handler at
     * a time; closing the subscription stops the delivery.
     */
    AutoCloseable subscribe(NeighborEventHandler handler);

    /** Asks for a fresh full dump, delivered between {@code onDumpStarted} and {@code onDumpCompleted}. */
    void requestDump();

    /** The network namespace this source watches; empty for the daemon's own. */
    String namespace();
}
