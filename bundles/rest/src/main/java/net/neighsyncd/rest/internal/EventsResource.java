package net.neighsyncd.rest.internal;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.WatchPosition;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /api/v1/events}: Server-Sent Events — a snapshot, then every applied change in order,
 * each with its position as the event id; {@code Last-Event-ID} resumes after it.
 */
@Component(service = EventsResource.class, scope = ServiceScope.PROTOTYPE)
@JakartarsResource
@JakartarsName("neighsyncd-events")
@JakartarsApplicationSelect(ApiApplication.SELECT)
@Path("events")
public final class EventsResource {

    @Reference
    Engines engines;

    @Reference
    EventStreams streams;

    @Reference
    RestApi api;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@Context SseEventSink sink, @Context Sse sse,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("namespace") @DefaultValue("") String namespace, @QueryParam("interface") String ifname,
            @QueryParam("family") String family, @QueryParam("vrf") String vrf, @QueryParam("mac") String mac) {
        NeighborSelector selector = NeighborQueryParams.selector(ifname, family, vrf, mac, null);
        WatchPosition resume = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            resume = StreamEvents.position(lastEventId.trim());
            if (resume == null) {
                throw new BadRequestException("Last-Event-ID: not an event id of this stream (history:revision)");
            }
        }
        NeighborWatch watch = Engines.live(engines).watch(Engines.live(engines).namespaceFor(namespace));
        if (!streams.start(new EventStream(watch, selector, resume, sink, sse, api))) {
            RestApi.live(api).refused(RestApi.Refusal.TOO_MANY_STREAMS);
            throw new ServiceUnavailableException("all " + RestApi.live(api).settings().maxEventClients()
                    + " event streams are in use (maxEventClients)");
        }
    }
}
