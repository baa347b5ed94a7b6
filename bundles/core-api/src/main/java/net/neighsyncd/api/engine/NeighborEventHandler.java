package net.neighsyncd.api.engine;

import net.neighsyncd.api.neighbor.NeighborMessage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what a {@link NeighborSource} reads, in kernel order, on the source's reader thread.
 * Implementations must return quickly: a slow handler makes the kernel socket overflow.
 */
@ConsumerType
public interface NeighborEventHandler {

    /** A full neighbor dump begins; every neighbor the kernel holds follows as a message. */
    void onDumpStarted();

    /** One neighbor message, from a dump or a live event. */
    void onNeighbor(NeighborMessage message);

    /** The dump begun by the last {@link #onDumpStarted()} is complete and consistent. */
    void onDumpCompleted();

    /** An interface was removed; every neighbor on it is gone with it. */
    void onLinkRemoved(int ifindex, String ifname);

    /**
     * The kernel dropped messages because the socket's receive buffer overflowed (ENOBUFS):
     * the view is no longer trustworthy until the next completed dump.
     */
    void onOverflow();
}
