package net.neighsyncd.core.internal;

import java.util.Set;
import net.neighsyncd.api.ha.Leadership;
import net.neighsyncd.api.ha.Role;
import net.neighsyncd.api.neighbor.NeighborKey;

/**
 * Whether this pipeline's engine may write APPL_DB now (docs/ha.md): always as a single instance
 * (no {@link Leadership}, {@code highAvailability} off), and in an HA pair only while its
 * leadership says {@link Role#LEADER}. It also remembers what the start coordinator released
 * while the gate was closed, so that opening it later does what the start had asked. Each method
 * is atomic on the gate's own monitor, which is never held while waiting for anything: the engine
 * changes it under its {@code sourceLock}, and its engine thread reads it without that lock (a
 * thread that holds {@code sourceLock} may be waiting for room in the engine's queue).
 */
final class WriteGate {
    /** The engine's start phase while it stands by: not ready, since it does not write. */
    static final String STANDBY_PHASE = "standby: another instance holds this pipeline's lease";

    /** What the start asked the views to do when they are released: see {@code StartCoordinator.Engine#releaseViews}. */
    record HeldViews(Set<NeighborKey> unreadable, Runnable onWritten) {
        static final HeldViews NONE = new HeldViews(Set.of(), () -> { });
    }

    private boolean required;
    private Leadership leadership;
    private AutoCloseable watch;
    private Role role;
    private boolean open;
    private boolean writerReleasedByStart;
    private boolean viewsReleasedByStart;
    private HeldViews held = HeldViews.NONE;

    /** A new start of the engine: nothing released yet, no leadership followed. */
    synchronized void reset(boolean highAvailability) {
        required = highAvailability;
        leadership = null;
        watch = null;
        role = null;
        writerReleasedByStart = false;
        viewsReleasedByStart = false;
        held = HeldViews.NONE;
        open = shouldBeOpen();
    }

    synchronized boolean required() {
        return required;
    }

    /** The engine's {@code highAvailability} setting; true when it changed. */
    synchronized boolean required(boolean next) {
        if (next == required) {
            return false;
        }
        required = next;
        return true;
    }

    synchronized Leadership leadership() {
        return leadership;
    }

    /**
     * Follows {@code next} from now on (null: none), standing by until it tells its role; returns
     * the watch of the one followed before, for the caller to close.
     */
    synchronized AutoCloseable follow(Leadership next) {
        AutoCloseable previous = watch;
        watch = null;
        leadership = next;
        role = next == null ? null : Role.STANDBY;
        return previous;
    }

    /** The watch of the leadership followed now. */
    synchronized void watch(AutoCloseable w) {
        watch = w;
    }

    /** The followed leadership's role; true when it changed. */
    synchronized boolean role(Role next) {
        if (next == role) {
            return false;
        }
        role = next;
        return true;
    }

    /** Takes the gate's new state; true when it opened or closed since the last call. */
    synchronized boolean settle() {
        boolean now = shouldBeOpen();
        if (now == open) {
            return false;
        }
        open = now;
        return true;
    }

    synchronized boolean open() {
        return open;
    }

    private boolean shouldBeOpen() {
        return leadership == null ? !required : role == Role.LEADER;
    }

    synchronized void startReleasedWriter() {
        writerReleasedByStart = true;
    }

    synchronized boolean writerReleasedByStart() {
        return writerReleasedByStart;
    }

    /** The start released the views; when the gate is closed, they wait for it with {@code unreadable} and {@code onWritten}. */
    synchronized void startReleasedViews(Set<NeighborKey> unreadable, Runnable onWritten) {
        viewsReleasedByStart = true;
        held = open ? HeldViews.NONE : new HeldViews(unreadable, onWritten);
    }

    synchronized boolean viewsReleasedByStart() {
        return viewsReleasedByStart;
    }

    /** What the start's release asked while the gate was closed, once; {@link HeldViews#NONE} after. */
    synchronized HeldViews heldViews() {
        HeldViews h = held;
        held = HeldViews.NONE;
        return h;
    }
}
