package net.neighsyncd.rest.internal;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import net.neighsyncd.api.access.Caller;
import net.neighsyncd.api.access.Scope;
import net.neighsyncd.api.engine.ResyncProgress;
import net.neighsyncd.api.engine.SyncEngine;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/resync} (admin scope, at most one per pipeline per
 * {@code resyncMinIntervalSeconds}) and {@code GET /api/v1/resyncs/{id}}.
 */
@Component(service = ResyncResource.class, scope = ServiceScope.PROTOTYPE)
@JakartarsResource
@JakartarsName("neighsyncd-resync")
@JakartarsApplicationSelect(ApiApplication.SELECT)
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public final class ResyncResource {
    private static final Logger LOG = LoggerFactory.getLogger(ResyncResource.class);

    @Reference
    Engines engines;

    @Reference
    RestApi api;

    @Context
    ContainerRequestContext request;

    /**
     * The optional body of {@code POST /resync}.
     *
     * @param reason why, for the log (at most 200 characters, no control characters)
     */
    record ResyncRequest(String reason) {
    }

    @POST
    @Path("resync")
    public Response resync(@QueryParam("namespace") @DefaultValue("") String requested, ResyncRequest body) {
        Caller caller = Callers.require(request, Scope.ADMIN);
        String reason = body == null ? null : body.reason();
        if (reason != null && (reason.length() > 200 || reason.chars().anyMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR))) {
            throw new jakarta.ws.rs.BadRequestException("reason: at most 200 characters, no control characters");
        }
        String namespace = Engines.live(engines).namespaceFor(requested);
        SyncEngine engine = Engines.live(engines).engine(namespace);
        long waitSeconds = RestApi.live(api).resyncAllowedIn(namespace);
        if (waitSeconds > 0) {
            RestApi.live(api).refused(RestApi.Refusal.RATE_LIMITED);
            return Response.fromResponse(Problems.response(429, "Too Many Requests", "a resync of this pipeline was "
                    + "requested less than resyncMinIntervalSeconds ago; try again in " + waitSeconds + " s",
                    "/api/v1/resync")).header("Retry-After", waitSeconds).build();
        }
        ResyncProgress p = engine.requestResync("REST API token '" + caller.name() + "'"
                + (reason == null || reason.isBlank() ? "" : ": " + reason));
        LOG.info("resync {} of namespace '{}' requested over the REST API by token '{}'", p.id(), namespace,
                caller.name());
        return Response.accepted(ResyncDocument.of(namespace, p))
                .location(URI.create("/api/v1/resyncs/" + p.id() + (requested.isEmpty() ? "" : "?namespace="
                        + java.net.URLEncoder.encode(requested, java.nio.charset.StandardCharsets.UTF_8))))
                .build();
    }

    @GET
    @Path("resyncs/{id}")
    public ResyncDocument progress(@QueryParam("namespace") @DefaultValue("") String requested,
            @PathParam("id") long id) {
        String namespace = Engines.live(engines).namespaceFor(requested);
        return Engines.live(engines).engine(namespace).resyncProgress(id).map(p -> ResyncDocument.of(namespace, p))
                .orElseThrow(() -> new NotFoundException("no resync " + id + " in this engine start (the last "
                        + "64 are kept)"));
    }
}
