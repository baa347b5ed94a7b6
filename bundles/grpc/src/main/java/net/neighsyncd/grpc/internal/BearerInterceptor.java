package net.neighsyncd.grpc.internal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.function.Supplier;
import net.neighsyncd.api.access.ApiAccess;
import net.neighsyncd.api.access.Caller;
import net.neighsyncd.api.access.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call but those of {@code grpc.health.v1.Health} carries a configured bearer token in its
 * {@code authorization} metadata, or ends UNAUTHENTICATED before any handler runs; the caller is
 * then in the call's {@link Context} ({@link #CALLER}). UNAVAILABLE while no {@link ApiAccess}
 * is bound.
 */
final class BearerInterceptor implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(BearerInterceptor.class);
    static final Context.Key<Caller> CALLER = Context.key("neighsyncd.caller");
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "Bearer ";
    private static final String HEALTH = "grpc.health.v1.Health";

    private final Supplier<ApiAccess> access;
    private final Runnable refused;

    /**
     * @param access  the tokens now (null while not bound)
     * @param refused counts a refused call
     */
    BearerInterceptor(Supplier<ApiAccess> access, Runnable refused) {
        this.access = access;
        this.refused = refused;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (HEALTH.equals(service)) {
            return next.startCall(call, headers);
        }
        ApiAccess tokens = access.get();
        if (tokens == null) {
            call.close(Status.UNAVAILABLE.withDescription("no token can be checked now: the bundle "
                    + "net.neighsyncd.access is not active"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        Optional<Caller> caller = bearer(headers.get(AUTHORIZATION)).flatMap(tokens::recognise);
        if (caller.isEmpty()) {
            refused.run();
            LOG.debug("refused {}: no valid bearer token", call.getMethodDescriptor().getFullMethodName());
            call.close(Status.UNAUTHENTICATED.withDescription(!tokens.anyToken()
                    ? "no API token is configured on this daemon (tokens of " + ApiAccess.PID + ")"
                    : "a valid bearer token is required (metadata authorization: Bearer <token>)"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller.get()), call, headers, next);
    }

    /** The caller of the current call when its scope allows {@code needed}; else PERMISSION_DENIED. */
    static Caller require(Scope needed) {
        Caller caller = CALLER.get();
        if (caller == null || !caller.scope().allows(needed)) {
            throw Status.PERMISSION_DENIED.withDescription("this needs a token of scope " + needed.label()
                    + (caller == null ? "" : "; token '" + caller.name() + "' has scope " + caller.scope().label()))
                    .asRuntimeException();
        }
        return caller;
    }

    private static Optional<String> bearer(String header) {
        if (header == null || header.length() <= SCHEME.length()
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(SCHEME.length()).trim());
    }
}
