package net.neighsyncd.rest.internal;

import jakarta.ws.rs.NotFoundException;
import java.util.Map;
import java.util.SortedMap;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.pipeline.PipelineServices;
import net.neighsyncd.api.watch.NeighborWatch;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The engines the API answers for, one per pipeline, by namespace ({@code ""}: the host's). A
 * request names its pipeline with {@code ?namespace=}; without one it means the only pipeline when
 * one runs (the daemon started with {@code --netns} runs one, named by that namespace), else the
 * host's.
 */
@Component(service = Engines.class)
public final class Engines {
    private final PipelineServices<SyncEngine> engines = new PipelineServices<>();
    private final PipelineServices<NeighborWatch> watches = new PipelineServices<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "bindEngine")
    void bindEngine(SyncEngine e, Map<String, Object> props) {
        engines.bind(e, props);
    }

    void unbindEngine(SyncEngine e) {
        engines.unbind(e);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "bindWatch")
    void bindWatch(NeighborWatch w, Map<String, Object> props) {
        watches.bind(w, props);
    }

    void unbindWatch(NeighborWatch w) {
        watches.unbind(w);
    }

    /** Every pipeline's engine, by namespace. */
    SortedMap<String, SyncEngine> engines() {
        return engines.all();
    }

    /**
     * {@code engines} as a resource holds it: a request that reaches an instance whose bundle is
     * stopping (its references gone) answers 503, not 500.
     */
    static Engines live(Engines engines) {
        if (engines == null) {
            throw new jakarta.ws.rs.ServiceUnavailableException("the REST API is stopping");
        }
        return engines;
    }

    /**
     * The namespace a request means: the one it names, or when it names none (null or empty), the
     * only pipeline's when one runs, else the host's.
     */
    String namespaceFor(String requested) {
        return engines.namespaceFor(requested);
    }

    /** The engine of {@code namespace} (as {@link #namespaceFor} resolved it), or a 404 naming it. */
    SyncEngine engine(String namespace) {
        return engines.of(namespace).orElseThrow(() -> noPipeline(namespace));
    }

    /** The watch of {@code namespace} (as {@link #namespaceFor} resolved it), or a 404 naming it. */
    NeighborWatch watch(String namespace) {
        return watches.of(namespace).orElseThrow(() -> noPipeline(namespace));
    }

    private static NotFoundException noPipeline(String namespace) {
        return new NotFoundException("no sync engine runs for namespace '"
                + namespace + "' now");
    }
}
