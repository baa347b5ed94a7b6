package net.neighsyncd.rest.internal;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.alerting.Alert;
import net.neighsyncd.api.alerting.AlertService;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.SyncStatus;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /api/v1/status} (one pipeline's state), {@code /api/v1/health} (every pipeline's
 * readiness, the only path without a token) and {@code /api/v1/alerts}.
 */
@Component(service = StatusResource.class, scope = ServiceScope.PROTOTYPE)
@JakartarsResource
@JakartarsName("neighsyncd-status")
@JakartarsApplicationSelect(ApiApplication.SELECT)
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public final class StatusResource {

    /** {@code GET /health}: whether every pipeline is ready, without details. */
    record Health(String status, Map<String, String> pipelines) {
    }

    /** {@code GET /alerts}: the alert engine's firing and pending alerts; null when no alert engine runs. */
    record Alerts(List<AlertDocument> alerts) {
    }

    /** One alert (openapi.json: Alert). */
    record AlertDocument(String rule, String state, String severity, Map<String, String> labels, String description,
            Double value, String since) {
    }

    @Reference
    Engines engines;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AlertService alerts;

    @GET
    @Path("status")
    public StatusDocument status(@QueryParam("namespace") @DefaultValue("") String requested) {
        String namespace = Engines.live(engines).namespaceFor(requested);
        SyncEngine engine = Engines.live(engines).engine(namespace);
        SyncStatus s = engine.status();
        return StatusDocument.of(namespace, s, Engines.live(engines).watch(namespace).position());
    }

    @GET
    @Path("health")
    public jakarta.ws.rs.core.Response health() {
        Map<String, String> byPipeline = new java.util.TreeMap<>();
        boolean up = !Engines.live(engines).engines().isEmpty();
        for (Map.Entry<String, SyncEngine> e : Engines.live(engines).engines().entrySet()) {
            boolean ready = e.getValue().status().health().ready();
            byPipeline.put(e.getKey(), ready ? "UP" : "DOWN");
            up &= ready;
        }
        Health h = new Health(up ? "UP" : "DOWN", byPipeline);
        return jakarta.ws.rs.core.Response.status(up ? 200 : 503).entity(h).type(MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("alerts")
    public Alerts alerts() {
        AlertService a = alerts;
        if (a == null) {
            throw new jakarta.ws.rs.NotFoundException("no alert engine runs (the alerting bundle is not active)");
        }
        List<AlertDocument> out = new ArrayList<>();
        for (Alert x : a.active()) {
            out.add(new AlertDocument(x.rule(), x.state().name().toLowerCase(java.util.Locale.ROOT),
                    x.severity().label(), x.labels(), x.description(), Double.isNaN(x.value()) ? null : x.value(),
                    x.since().toString()));
        }
        return new Alerts(out);
    }
}
