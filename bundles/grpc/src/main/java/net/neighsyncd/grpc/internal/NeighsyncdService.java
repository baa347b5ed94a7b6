package net.neighsyncd.grpc.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.access.Caller;
import net.neighsyncd.api.access.Scope;
import net.neighsyncd.api.engine.NeighborExplanation;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.pipeline.PipelineServices;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.api.watch.WatchEntry;
import net.neighsyncd.api.watch.WatchPosition;
import net.neighsyncd.api.watch.WatchSnapshot;
import net.neighsyncd.grpc.v1.GetNeighborRequest;
import net.neighsyncd.grpc.v1.GetResyncRequest;
import net.neighsyncd.grpc.v1.GetStatusRequest;
import net.neighsyncd.grpc.v1.ListNeighborsRequest;
import net.neighsyncd.grpc.v1.ListNeighborsResponse;
import net.neighsyncd.grpc.v1.NeighsyncdGrpc;
import net.neighsyncd.grpc.v1.ResyncRequest;
import net.neighsyncd.grpc.v1.WatchEvent;
import net.neighsyncd.grpc.v1.WatchNeighborsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code neighsyncd.v1.Neighsyncd} service, on the engines' {@link SyncEngine} and
 * {@link NeighborWatch} services, with the same rules as the HTTP API.
 */
final class NeighsyncdService extends NeighsyncdGrpc.NeighsyncdImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(NeighsyncdService.class);
    static final long ENGINE_WAIT_SECONDS = 5;
    /** The smallest max_lag a watch may ask for: as the smallest eventLagLimit configured. */
    static final long MIN_LAG = 16;

    private final PipelineServices<SyncEngine> engines;
    private final PipelineServices<NeighborWatch> watches;
    private final GrpcApi api;

    NeighsyncdService(PipelineServices<SyncEngine> engines, PipelineServices<NeighborWatch> watches, GrpcApi api) {
        this.engines = engines;
        this.watches = watches;
        this.api = api;
    }

    @Override
    public void listNeighbors(ListNeighborsRequest request, StreamObserver<ListNeighborsResponse> out) {
        answer(out, () -> {
            String namespace = engines.namespaceFor(request.getNamespace());
            NeighborSelector selector = Requests.selector(request.getFilter());
            int pageSize = Requests.pageSize(request.getPageSize(), api.settings().maxPageSize());
            NeighborKey after = Requests.after(request.getPageToken());
            WatchSnapshot page = watch(namespace).snapshot(selector, after, pageSize, ENGINE_WAIT_SECONDS,
                    TimeUnit.SECONDS).orElseThrow(NeighsyncdService::engineBusy);
            ListNeighborsResponse.Builder b = ListNeighborsResponse.newBuilder().setNamespace(namespace)
                    .setPosition(ProtoMapping.position(page.position()));
            for (WatchEntry e : page.entries()) {
                b.addNeighbors(ProtoMapping.neighbor(e));
            }
            if (page.more()) {
                b.setNextPageToken(Requests.tokenAfter(page.entries().get(page.entries().size() - 1).record().key()));
            }
            return b.build();
        });
    }

    @Override
    public void getNeighbor(GetNeighborRequest request, StreamObserver<net.neighsyncd.grpc.v1.NeighborExplanation> out) {
        answer(out, () -> {
            String namespace = engines.namespaceFor(request.getNamespace());
            NeighborKey key = Requests.key(request.getIfname(), request.getIp());
            NeighborExplanation e = engine(namespace).explain(key).orElseThrow(NeighsyncdService::engineBusy);
            if (e.disposition() == NeighborExplanation.Disposition.NOT_IN_KERNEL && e.applied() == null
                    && e.acknowledged() == null) {
                throw Status.NOT_FOUND.withDescription("neither the kernel nor APPL_DB has " + key + " in namespace '"
                        + namespace + "'").asRuntimeException();
            }
            return ProtoMapping.explanation(e);
        });
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<net.neighsyncd.grpc.v1.Status> out) {
        answer(out, () -> {
            String namespace = engines.namespaceFor(request.getNamespace());
            SyncEngine engine = engine(namespace);
            WatchPosition at = watches.of(namespace).map(NeighborWatch::position).orElse(new WatchPosition("", 0));
            return ProtoMapping.status(namespace, engine.status(), at);
        });
    }

    @Override
    public void resync(ResyncRequest request, StreamObserver<net.neighsyncd.grpc.v1.ResyncProgress> out) {
        answer(out, () -> {
            Caller caller = BearerInterceptor.require(Scope.ADMIN);
            String reason = Requests.reason(request.getReason());
            String namespace = engines.namespaceFor(request.getNamespace());
            SyncEngine engine = engine(namespace);
            long wait = api.resyncAllowedIn(namespace);
            if (wait > 0) {
                throw Status.RESOURCE_EXHAUSTED.withDescription("a resync of this pipeline was requested less than "
                        + "resyncMinIntervalSeconds ago; try again in " + wait + " s").asRuntimeException();
            }
            var p = engine.requestResync("gRPC API token '" + caller.name() + "'"
                    + (reason == null || reason.isBlank() ? "" : ": " + reason));
            LOG.info("resync {} of namespace '{}' requested over the gRPC API by token '{}'", p.id(), namespace,
                    caller.name());
            return ProtoMapping.resync(namespace, p);
        });
    }

    @Override
    public void getResync(GetResyncRequest request, StreamObserver<net.neighsyncd.grpc.v1.ResyncProgress> out) {
        answer(out, () -> {
            String namespace = engines.namespaceFor(request.getNamespace());
            return engine(namespace).resyncProgress(request.getId()).map(p -> ProtoMapping.resync(namespace, p))
                    .orElseThrow(() -> Status.NOT_FOUND.withDescription("no resync " + request.getId()
                            + " in this engine start (the last 64 are kept)").asRuntimeException());
        });
    }

    @Override
    public void watchNeighbors(WatchNeighborsRequest request, StreamObserver<WatchEvent> out) {
        ServerCallStreamObserver<WatchEvent> call = (ServerCallStreamObserver<WatchEvent>) out;
        try {
            String namespace = engines.namespaceFor(request.getNamespace());
            NeighborSelector selector = Requests.selector(request.getFilter().toBuilder()
                    .setState(net.neighsyncd.grpc.v1.NudState.NUD_STATE_UNSPECIFIED).build());
            WatchPosition from = request.hasFrom() ? position(request.getFrom()) : null;
            long maxLag = Integer.toUnsignedLong(request.getMaxLag());
            if (maxLag != 0 && maxLag < MIN_LAG) {
                throw Requests.invalid("max_lag: " + maxLag + " is below " + MIN_LAG + " (0: the server's eventLagLimit)");
            }
            long lagLimit = maxLag == 0 ? api.settings().eventLagLimit() : Math.min(maxLag, api.settings().eventLagLimit());
            WatchCall watchCall = new WatchCall(watch(namespace), selector, from, lagLimit, call, api::countReset);
            if (!api.startWatch(watchCall)) {
                // as the HTTP API's 503 for one event stream too many: try again later
                throw Status.UNAVAILABLE.withDescription("maxWatchClients watches are open; call again later")
                        .asRuntimeException();
            }
        } catch (StatusRuntimeException e) {
            api.refused(e.getStatus().getCode());
            out.onError(e);
        }
    }

    private static WatchPosition position(net.neighsyncd.grpc.v1.Position p) {
        if (p.getHistory().isEmpty() || p.getHistory().length() > 64) {
            throw Requests.invalid("from.history: the history of a position this API gave");
        }
        if (p.getRevision() < 0) {
            throw Requests.invalid("from.revision: above 2^63 - 1, not a revision this API gave");
        }
        return new WatchPosition(p.getHistory(), p.getRevision());
    }

    private SyncEngine engine(String namespace) {
        return engines.of(namespace).orElseThrow(() -> noPipeline(namespace));
    }

    private NeighborWatch watch(String namespace) {
        return watches.of(namespace).orElseThrow(() -> noPipeline(namespace));
    }

    private static StatusRuntimeException noPipeline(String namespace) {
        return Status.NOT_FOUND.withDescription("no sync engine runs for namespace '" + namespace + "' now")
                .asRuntimeException();
    }

    private static StatusRuntimeException engineBusy() {
        return Status.UNAVAILABLE.withDescription("the sync engine did not answer within " + ENGINE_WAIT_SECONDS + " s")
                .asRuntimeException();
    }

    /** A unary call's answer: what {@code body} gives, or the status it throws (counted). */
    private <T> void answer(StreamObserver<T> out, java.util.function.Supplier<T> body) {
        T value;
        try {
            value = body.get();
        } catch (StatusRuntimeException e) {
            api.refused(e.getStatus().getCode());
            LOG.debug("call answered {}: {}", e.getStatus().getCode(), e.getStatus().getDescription());
            out.onError(e);
            return;
        }
        out.onNext(value);
        out.onCompleted();
    }
}
