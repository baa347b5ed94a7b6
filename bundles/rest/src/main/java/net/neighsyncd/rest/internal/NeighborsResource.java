package net.neighsyncd.rest.internal;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.engine.NeighborExplanation;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.WatchSnapshot;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/** {@code /api/v1/neighbors}: the applied table (what APPL_DB holds), filtered and paged. */
@Component(service = NeighborsResource.class, scope = ServiceScope.PROTOTYPE)
@JakartarsResource
@JakartarsName("neighsyncd-neighbors")
@JakartarsApplicationSelect(ApiApplication.SELECT)
@Path("neighbors")
@Produces(MediaType.APPLICATION_JSON)
public final class NeighborsResource {
    /** How long a read waits for the engine thread before it answers 503. */
    static final long ENGINE_WAIT_SECONDS = 5;

    @Reference
    Engines engines;

    @Reference
    RestApi api;

    @GET
    public NeighborPage list(@QueryParam("namespace") @DefaultValue("") String requested,
            @QueryParam("interface") String ifname, @QueryParam("family") String family,
            @QueryParam("vrf") String vrf, @QueryParam("mac") String mac, @QueryParam("state") String state,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        String namespace = Engines.live(engines).namespaceFor(requested);
        NeighborSelector selector = NeighborQueryParams.selector(ifname, family, vrf, mac, state);
        int pageSize = NeighborQueryParams.limit(limit, RestApi.live(api).settings().maxPageSize());
        NeighborKey after = NeighborQueryParams.cursor(cursor);
        WatchSnapshot page = read(namespace, selector, after, pageSize);
        List<NeighborDocument> items = page.entries().stream().map(NeighborDocument::of).toList();
        String next = page.more() ? NeighborQueryParams.cursorAfter(page.entries().get(page.entries().size() - 1)
                .record().key()) : null;
        return new NeighborPage(namespace, page.position().history(), page.position().revision(), items, next);
    }

    @GET
    @Path("{ifname}/{ip}")
    public ExplanationDocument one(@QueryParam("namespace") @DefaultValue("") String requested,
            @PathParam("ifname") String ifname, @PathParam("ip") String ip) {
        String namespace = Engines.live(engines).namespaceFor(requested);
        NeighborKey key = NeighborQueryParams.key(ifname, ip);
        NeighborExplanation e = Engines.live(engines).engine(namespace).explain(key)
                .orElseThrow(() -> new ServiceUnavailableException("the sync engine did not answer within "
                        + ENGINE_WAIT_SECONDS + " s"));
        if (e.disposition() == NeighborExplanation.Disposition.NOT_IN_KERNEL && e.applied() == null
                && e.acknowledged() == null) {
            throw new NotFoundException("neither the kernel nor APPL_DB has " + key + " in namespace '" + namespace
                    + "'");
        }
        return ExplanationDocument.of(e);
    }

    private WatchSnapshot read(String namespace, NeighborSelector selector, NeighborKey after, int limit) {
        return Engines.live(engines).watch(namespace).snapshot(selector, after, limit, ENGINE_WAIT_SECONDS, TimeUnit.SECONDS)
                .orElseThrow(() -> new ServiceUnavailableException("the sync engine did not answer within "
                        + ENGINE_WAIT_SECONDS + " s"));
    }
}
