package net.neighsyncd.rest.internal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

/** Problem responses ({@link ProblemDocument}) built outside the exception mapper. */
final class Problems {
    private Problems() {
    }

    static Response response(Response.StatusType status, String detail, ContainerRequestContext request) {
        return response(status.getStatusCode(), status.getReasonPhrase(), detail,
                "/api/v1/" + request.getUriInfo().getPath());
    }

    static Response response(int status, String title, String detail, String instance) {
        return Response.status(status).type(ProblemDocument.MEDIA_TYPE)
                .entity(new ProblemDocument("about:blank", title, status, detail, instance)).build();
    }
}
