package net.neighsyncd.rest.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import net.neighsyncd.api.access.ApiAccess;
import net.neighsyncd.api.access.Caller;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request but {@code GET health} carries a configured bearer token, or answers 401 before
 * any resource is matched (so that an unknown path tells nothing either). A query string longer
 * than the configured limit answers 414 first. The caller (its token's name and scope) is kept as
 * the request property {@link #CALLER}.
 */
@Component(service = ContainerRequestFilter.class)
@JakartarsExtension
@JakartarsName(BearerAuthentication.NAME)
@JakartarsApplicationSelect(ApiApplication.SELECT)
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class BearerAuthentication implements ContainerRequestFilter {
    static final String CALLER = "neighsyncd.caller";
    /** Its whiteboard name, which the application requires. */
    static final String NAME = "neighsyncd-bearer";
    private static final Logger LOG = LoggerFactory.getLogger(BearerAuthentication.class);
    private static final String SCHEME = "Bearer ";

    @Reference
    RestApi api;

    /** The tokens (bundle net.neighsyncd.access); while it is not active every request but health answers 503. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ApiAccess access;

    @Override
    public void filter(ContainerRequestContext request) {
        RestSettings settings = RestApi.live(api).settings();
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query != null && query.length() > settings.maxQueryLength()) {
            RestApi.live(api).refused(RestApi.Refusal.TOO_LONG);
            request.abortWith(Problems.response(Response.Status.REQUEST_URI_TOO_LONG,
                    "the query string is " + query.length() + " characters; at most " + settings.maxQueryLength()
                            + " are accepted (maxQueryLength)", request));
            return;
        }
        int length = request.getLength();
        if (length > settings.maxRequestBytes()) {
            RestApi.live(api).refused(RestApi.Refusal.TOO_LARGE);
            request.abortWith(Problems.response(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the request body is "
                    + length + " bytes; at most " + settings.maxRequestBytes() + " are accepted (maxRequestBytes)",
                    request));
            return;
        }
        String path = request.getUriInfo().getPath();
        if ("GET".equals(request.getMethod()) && ("health".equals(path) || "/health".equals(path))) {
            return;
        }
        ApiAccess tokens = access;
        if (tokens == null) {
            request.abortWith(Problems.response(Response.Status.SERVICE_UNAVAILABLE, "no token can be checked now: "
                    + "the bundle net.neighsyncd.access is not active", request));
            return;
        }
        Optional<Caller> caller = bearer(request).flatMap(tokens::recognise);
        if (caller.isEmpty()) {
            RestApi.live(api).refused(RestApi.Refusal.UNAUTHENTICATED);
            LOG.debug("refused {} {}: no valid bearer token", request.getMethod(), LogText.safe(path));
            String detail = !tokens.anyToken()
                    ? "no API token is configured on this daemon (tokens of " + ApiAccess.PID + ")"
                    : "a valid bearer token is required (Authorization: Bearer <token>)";
            request.abortWith(Response.fromResponse(Problems.response(Response.Status.UNAUTHORIZED, detail, request))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"neighsyncd\"").build());
            return;
        }
        request.setProperty(CALLER, caller.get());
    }

    private static Optional<String> bearer(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= SCHEME.length()
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(SCHEME.length()).trim());
    }
}
