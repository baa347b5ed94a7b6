package net.neighsyncd.api.engine;

import net.neighsyncd.api.neighbor.NeighborChange;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Observes every change once the APPL_DB sink has applied it. Called from the writer thread. */
@ConsumerType
public interface NeighborChangeListener {

    void onApplied(List<NeighborChange> changes);
}
