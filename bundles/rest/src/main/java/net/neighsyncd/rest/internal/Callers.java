package net.neighsyncd.rest.internal;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.container.ContainerRequestContext;
import net.neighsyncd.api.access.Caller;
import net.neighsyncd.api.access.Scope;

/** The scope checks of resources that act. */
final class Callers {
    private Callers() {
    }

    /** The request's caller when its token's scope allows {@code needed}; else a 403. */
    static Caller require(ContainerRequestContext request, Scope needed) {
        Caller caller = (Caller) request.getProperty(BearerAuthentication.CALLER);
        if (caller == null || !caller.scope().allows(needed)) {
            throw new ForbiddenException("this needs a token of scope " + needed.label()
                    + (caller == null ? "" : "; token '" + caller.name() + "' has scope " + caller.scope().label()));
        }
        return caller;
    }
}
