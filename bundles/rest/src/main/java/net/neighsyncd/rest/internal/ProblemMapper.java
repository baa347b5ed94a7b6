package net.neighsyncd.rest.internal;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every exception of the v1 API as an RFC 9457 problem ({@code application/problem+json}, no stack
 * trace): the status and message of a {@link WebApplicationException} (400, 403, 404, 405, ...),
 * else 500 with the cause logged at WARN. Client errors are counted and logged at debug.
 */
@Component(service = ExceptionMapper.class)
@JakartarsExtension
@JakartarsName("neighsyncd-problem")
@JakartarsApplicationSelect(ApiApplication.SELECT)
public final class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    @Context
    UriInfo uri;

    @Reference
    RestApi api;

    @Override
    public Response toResponse(Throwable e) {
        int status;
        String detail;
        if (e instanceof WebApplicationException w) {
            status = w.getResponse().getStatus();
            detail = e.getMessage();
            count(status);
            LOG.debug("request answered {}: {}", status, LogText.safe(detail));
        } else {
            status = 500;
            detail = "internal error (logged by the daemon)";
            LOG.warn("REST request failed", e);
        }
        Response.Status s = Response.Status.fromStatusCode(status);
        String instance = uri == null ? null : uri.getRequestUri().getPath();
        return Problems.response(status, s == null ? "HTTP " + status : s.getReasonPhrase(), detail, instance);
    }

    private void count(int status) {
        RestApi a = api;
        if (a == null) {
            return;
        }
        switch (status) {
            case 400 -> a.refused(RestApi.Refusal.BAD_REQUEST);
            case 403 -> a.refused(RestApi.Refusal.FORBIDDEN);
            case 404 -> a.refused(RestApi.Refusal.NOT_FOUND);
            default -> {
            }
        }
    }
}
