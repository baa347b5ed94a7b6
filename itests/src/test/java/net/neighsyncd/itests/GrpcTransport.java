package net.neighsyncd.itests;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.grpc.v1.Family;
import net.neighsyncd.grpc.v1.GetNeighborRequest;
import net.neighsyncd.grpc.v1.GetStatusRequest;
import net.neighsyncd.grpc.v1.ListNeighborsRequest;
import net.neighsyncd.grpc.v1.ListNeighborsResponse;
import net.neighsyncd.grpc.v1.Neighbor;
import net.neighsyncd.grpc.v1.NeighborFilter;
import net.neighsyncd.grpc.v1.NeighsyncdGrpc;
import net.neighsyncd.grpc.v1.NudState;
import net.neighsyncd.grpc.v1.Position;
import net.neighsyncd.grpc.v1.ResyncRequest;
import net.neighsyncd.grpc.v1.WatchEvent;
import net.neighsyncd.grpc.v1.WatchNeighborsRequest;

/**
 * The gRPC API as an {@link ApiTransport}: grpc-java on NIO (the daemon's bundle, in this JVM, has
 * its own Netty; a native epoll library binds to one class loader only).
 */
final class GrpcTransport implements ApiTransport {
    private final EventLoopGroup ioThreads = new NioEventLoopGroup(2, r -> {
        Thread t = new Thread(r, "grpc-transport-test");
        t.setDaemon(true);
        return t;
    });
    private final ManagedChannel channel;

    GrpcTransport(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .channelType(NioSocketChannel.class, InetSocketAddress.class).eventLoopGroup(ioThreads).build();
    }

    @Override
    public String name() {
        return "gRPC";
    }

    private NeighsyncdGrpc.NeighsyncdBlockingStub stub(String token) {
        NeighsyncdGrpc.NeighsyncdBlockingStub s = NeighsyncdGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        return token == null ? s : s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
    }

    private static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return m;
    }

    static Failure failure(StatusRuntimeException e) {
        return switch (e.getStatus().getCode()) {
            case INVALID_ARGUMENT -> Failure.INVALID;
            case UNAUTHENTICATED -> Failure.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Failure.FORBIDDEN;
            case NOT_FOUND -> Failure.NOT_FOUND;
            case RESOURCE_EXHAUSTED -> Failure.EXHAUSTED;
            case UNAVAILABLE -> Failure.UNAVAILABLE;
            default -> Failure.OTHER;
        };
    }

    private static Refused refused(StatusRuntimeException e) {
        return new Refused(failure(e), e.getStatus().toString());
    }

    /** The filter a map of the HTTP API's parameter names means; a value no enum has is sent as an unknown number. */
    private static NeighborFilter filter(Map<String, String> f) {
        NeighborFilter.Builder b = NeighborFilter.newBuilder();
        f.forEach((k, v) -> {
            switch (k) {
                case "interface" -> b.setIfname(v);
                case "vrf" -> b.setVrf(v);
                case "mac" -> b.setMacPrefix(v);
                case "family" -> {
                    if (v.equals("IPv4")) {
                        b.setFamily(Family.IPV4);
                    } else if (v.equals("IPv6")) {
                        b.setFamily(Family.IPV6);
                    } else {
                        b.setFamilyValue(99);
                    }
                }
                case "state" -> {
                    try {
                        b.setState(NudState.valueOf(v.toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        b.setStateValue(99);
                    }
                }
                default -> throw new IllegalArgumentException("no filter " + k);
            }
        });
        return b.build();
    }

    static Entry entry(Neighbor n) {
        return new Entry(n.getKey(), n.getMac().isEmpty() ? null : n.getMac(), n.getVrf().isEmpty() ? null : n.getVrf(),
                n.getState() == NudState.NUD_STATE_UNSPECIFIED ? null : n.getState().name().toLowerCase(Locale.ROOT));
    }

    private static List<Entry> entries(List<Neighbor> ns) {
        List<Entry> out = new ArrayList<>();
        ns.forEach(n -> out.add(entry(n)));
        return out;
    }

    @Override
    public Page list(String token, Map<String, String> filter, int pageSize, String pageToken) throws Refused {
        try {
            ListNeighborsResponse r = stub(token).listNeighbors(ListNeighborsRequest.newBuilder()
                    .setFilter(filter(filter)).setPageSize(pageSize).setPageToken(pageToken == null ? "" : pageToken)
                    .build());
            return new Page(r.getPosition().getHistory(), r.getPosition().getRevision(), entries(r.getNeighborsList()),
                    r.getNextPageToken().isEmpty() ? null : r.getNextPageToken());
        } catch (StatusRuntimeException e) {
            throw refused(e);
        }
    }

    @Override
    public String verdict(String token, String ifname, String ip) throws Refused {
        try {
            return stub(token).getNeighbor(GetNeighborRequest.newBuilder().setIfname(ifname).setIp(ip).build())
                    .getVerdict().getDisposition().name().toLowerCase(Locale.ROOT);
        } catch (StatusRuntimeException e) {
            throw refused(e);
        }
    }

    @Override
    public String phase(String token, String namespace) throws Refused {
        try {
            return stub(token).getStatus(GetStatusRequest.newBuilder().setNamespace(namespace).build()).getPhase();
        } catch (StatusRuntimeException e) {
            throw refused(e);
        }
    }

    @Override
    public long resync(String token, String reason) throws Refused {
        try {
            return stub(token).resync(ResyncRequest.newBuilder().setReason(reason).build()).getId();
        } catch (StatusRuntimeException e) {
            throw refused(e);
        }
    }

    @Override
    public Watch watch(String token, Map<String, String> filter, String history, long revision) throws Refused {
        WatchNeighborsRequest.Builder request = WatchNeighborsRequest.newBuilder().setFilter(filter(filter));
        if (history != null) {
            request.setFrom(Position.newBuilder().setHistory(history).setRevision(revision));
        }
        // events are taken off the call as they come, as the SSE client does
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        var call = NeighsyncdGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                bearer(token))).withDeadlineAfter(10, TimeUnit.MINUTES);
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        context.run(() -> call.watchNeighbors(request.build(), new StreamObserver<>() {
            @Override
            public void onNext(WatchEvent value) {
                events.add(value);
            }

            @Override
            public void onError(Throwable t) {
                events.add(t);
            }

            @Override
            public void onCompleted() {
                events.add(new IllegalStateException("the watch ended"));
            }
        }));
        return new Watch() {
            @Override
            public Event next(Duration timeout) throws Exception {
                Object o = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (o == null) {
                    throw new AssertionError("no event within " + timeout);
                }
                if (o instanceof StatusRuntimeException e) {
                    throw refused(e);
                }
                if (o instanceof Throwable t) {
                    throw new AssertionError("the watch failed", t);
                }
                WatchEvent e = (WatchEvent) o;
                return switch (e.getEventCase()) {
                    case SNAPSHOT -> new Event(Event.Kind.SNAPSHOT, e.getSnapshot().getPosition().getHistory(),
                            e.getSnapshot().getPosition().getRevision(), entries(e.getSnapshot().getNeighborsList()),
                            e.getSnapshot().getLast(), false, null, null);
                    case CHANGE -> new Event(Event.Kind.CHANGE, null, e.getChange().getRevision(), List.of(), false,
                            e.getChange().getOp() == net.neighsyncd.grpc.v1.Change.Op.DELETE,
                            entry(e.getChange().getNeighbor()), null);
                    case RESET -> new Event(Event.Kind.RESET, e.getReset().getCurrent().getHistory(),
                            e.getReset().getCurrent().getRevision(), List.of(), false, false, null,
                            e.getReset().getReason().name().toLowerCase(Locale.ROOT));
                    case EVENT_NOT_SET -> throw new AssertionError("an empty event");
                };
            }

            @Override
            public void close() {
                context.cancel(null);
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        ioThreads.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
