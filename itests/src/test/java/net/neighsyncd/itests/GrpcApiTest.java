package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.neighsyncd.grpc.v1.GetNeighborRequest;
import net.neighsyncd.grpc.v1.GetResyncRequest;
import net.neighsyncd.grpc.v1.GetStatusRequest;
import net.neighsyncd.grpc.v1.ListNeighborsRequest;
import net.neighsyncd.grpc.v1.ListNeighborsResponse;
import net.neighsyncd.grpc.v1.NeighborFilter;
import net.neighsyncd.grpc.v1.NeighsyncdGrpc;
import net.neighsyncd.grpc.v1.ResyncProgress;
import net.neighsyncd.grpc.v1.ResyncRequest;
import net.neighsyncd.grpc.v1.Verdict;
import net.neighsyncd.grpc.v1.WatchEvent;
import net.neighsyncd.grpc.v1.WatchNeighborsRequest;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/**
 * The gRPC API of the distribution's runtime (bundles/grpc) with grpc-java as a client, a real
 * Redis and a real namespace.
 */
class GrpcApiTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String READER = "nsd_reader-token-for-the-grpc-api-tests-000000000";
    private static final String ADMIN = "nsd_admin-token-for-the-grpc-api-tests-0000000000";

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The daemon with the test tokens, its gRPC API on a free port; returned once synced and serving. */
    private static Daemon started(RedisServer redis, Netns ns, int port) throws Exception {
        Daemon daemon = Daemon.start(Map.of("net.neighsyncd.access", List.of("tokens = reader:read:" + sha256(READER)
                + ", ops:admin:" + sha256(ADMIN)), "net.neighsyncd.grpc", List.of("port = " + port,
                        "resyncMinIntervalSeconds = 3600")),
                "--redis-url", redis.unixUrl(0), "--netns", ns.name());
        daemon.awaitInitialSync(WAIT);
        return daemon;
    }

    /**
     * A plaintext channel on NIO (the daemon's bundle, in this JVM, has its own copy of Netty: a
     * native epoll library can be bound to one class loader only, so neither side uses it).
     */
    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .channelType(io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel.class,
                        java.net.InetSocketAddress.class)
                .eventLoopGroup(CLIENT_IO).build();
    }

    private static final io.grpc.netty.shaded.io.netty.channel.EventLoopGroup CLIENT_IO =
            new io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup(2, r -> {
                Thread t = new Thread(r, "grpc-test-client");
                t.setDaemon(true);
                return t;
            });

    private static NeighsyncdGrpc.NeighsyncdBlockingStub as(ManagedChannel channel, String token) {
        NeighsyncdGrpc.NeighsyncdBlockingStub stub = NeighsyncdGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS);
        if (token == null) {
            return stub;
        }
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
    }

    private static void awaitServing(ManagedChannel channel) throws Exception {
        Wait.until("the gRPC API serving", WAIT, () -> {
            try {
                return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.newBuilder().setService("neighsyncd.v1.Neighsyncd").build())
                        .getStatus() == HealthCheckResponse.ServingStatus.SERVING;
            } catch (StatusRuntimeException e) {
                return false;
            }
        });
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static void assumeRealParts() {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
    }

    @Test
    void answersListGetStatusAndHealthToATokenAndNothingWithoutOne() throws Exception {
        assumeRealParts();
        int port = WebConsoleTest.freePort();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-grpc")) {
            ns.addVethPair("Ethernet0", "peer0");
            ns.exec("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "Ethernet0", "nud",
                    "permanent");
            ns.exec("neigh", "replace", "fe80::5", "lladdr", "02:00:00:00:00:05", "dev", "Ethernet0", "nud",
                    "permanent");
            try (Daemon daemon = started(redis, ns, port)) {
                ManagedChannel channel = channel(port);
                try {
                    // health without a token
                    awaitServing(channel);
                    // the applied table
                    ListNeighborsResponse page = as(channel, READER).listNeighbors(ListNeighborsRequest.getDefaultInstance());
                    assertEquals(1, page.getNeighborsCount(), page.toString());
                    assertEquals("Ethernet0:10.0.0.2", page.getNeighbors(0).getKey());
                    assertEquals("02:00:00:00:00:02", page.getNeighbors(0).getMac());
                    assertTrue(page.getPosition().getRevision() >= 1);
                    assertTrue(page.getNextPageToken().isEmpty());
                    // one key, and one the rules ignore
                    var synced = as(channel, READER).getNeighbor(GetNeighborRequest.newBuilder().setIfname("Ethernet0")
                            .setIp("10.0.0.2").build());
                    assertEquals(Verdict.Disposition.SYNCED, synced.getVerdict().getDisposition());
                    assertEquals("02:00:00:00:00:02", synced.getApplDb().getMac());
                    var ignored = as(channel, READER).getNeighbor(GetNeighborRequest.newBuilder().setIfname("Ethernet0")
                            .setIp("fe80::5").build());
                    assertEquals(Verdict.Disposition.IGNORED, ignored.getVerdict().getDisposition());
                    assertEquals("ipv6_link_local", ignored.getVerdict().getReason());
                    assertEquals(Status.Code.NOT_FOUND, code(() -> as(channel, READER).getNeighbor(
                            GetNeighborRequest.newBuilder().setIfname("Ethernet0").setIp("10.0.0.3").build())));
                    // status
                    var status = as(channel, READER).getStatus(GetStatusRequest.getDefaultInstance());
                    assertEquals("in_sync", status.getPhase());
                    assertTrue(status.getReady());
                    assertEquals(ns.name(), status.getNamespace());
                    // without a token, or with a wrong one, nothing
                    assertEquals(Status.Code.UNAUTHENTICATED, code(() -> as(channel, null)
                            .listNeighbors(ListNeighborsRequest.getDefaultInstance())));
                    assertEquals(Status.Code.UNAUTHENTICATED, code(() -> as(channel, READER + "x")
                            .getStatus(GetStatusRequest.getDefaultInstance())));
                } finally {
                    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void refusesBadInputWithTheRightCodesAndKeepsSyncing() throws Exception {
        assumeRealParts();
        int port = WebConsoleTest.freePort();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-grpcbad")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = started(redis, ns, port)) {
                ManagedChannel channel = channel(port);
                try {
                    awaitServing(channel);
                    NeighsyncdGrpc.NeighsyncdBlockingStub reader = as(channel, READER);
                    NeighsyncdGrpc.NeighsyncdBlockingStub admin = as(channel, ADMIN);
                    for (NeighborFilter bad : List.of(NeighborFilter.newBuilder().setMacPrefix("zz").build(),
                            NeighborFilter.newBuilder().setIfname("Ethernet0/../x").build(),
                            NeighborFilter.newBuilder().setIfname("a-very-long-interface-name").build(),
                            NeighborFilter.newBuilder().setFamilyValue(7).build())) {
                        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> reader.listNeighbors(
                                ListNeighborsRequest.newBuilder().setFilter(bad).build())), bad.toString());
                    }
                    assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> reader.listNeighbors(
                            ListNeighborsRequest.newBuilder().setPageSize(100_001).build())));
                    assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> reader.listNeighbors(
                            ListNeighborsRequest.newBuilder().setPageToken("!!not-a-token").build())));
                    assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> reader.getNeighbor(
                            GetNeighborRequest.newBuilder().setIfname("Ethernet0").setIp("10.0.0.999").build())));
                    assertEquals(Status.Code.NOT_FOUND, code(() -> reader.getStatus(
                            GetStatusRequest.newBuilder().setNamespace("nope").build())));
                    // a read token may not resync; an oversized request is refused before it is read
                    assertEquals(Status.Code.PERMISSION_DENIED, code(() -> reader.resync(ResyncRequest.getDefaultInstance())));
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(() -> admin.resync(ResyncRequest.newBuilder()
                            .setReason("x".repeat(20_000)).build())));
                    assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> admin.resync(ResyncRequest.newBuilder()
                            .setReason("two\nlines").build())));
                    // then: the daemon keeps syncing
                    ns.exec("neigh", "replace", "10.0.0.7", "lladdr", "02:00:00:00:00:07", "dev", "Ethernet0", "nud",
                            "permanent");
                    Wait.until("the neighbor after the bad calls", WAIT, () -> reader.listNeighbors(
                            ListNeighborsRequest.getDefaultInstance()).getNeighborsCount() == 1);
                } finally {
                    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void anAdminTokenResyncsAndFollowsItUntilDoneOnceInTheInterval() throws Exception {
        assumeRealParts();
        int port = WebConsoleTest.freePort();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-grpcresync")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = started(redis, ns, port)) {
                ManagedChannel channel = channel(port);
                try {
                    awaitServing(channel);
                    ResyncProgress asked = as(channel, ADMIN).resync(ResyncRequest.newBuilder().setReason("test").build());
                    assertEquals("gRPC API token 'ops': test", asked.getRequester());
                    Wait.until("the resync done", WAIT, () -> as(channel, READER).getResync(GetResyncRequest.newBuilder()
                            .setId(asked.getId()).build()).getState() == ResyncProgress.State.DONE);
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(() -> as(channel, ADMIN)
                            .resync(ResyncRequest.getDefaultInstance())));
                    assertEquals(Status.Code.NOT_FOUND, code(() -> as(channel, READER).getResync(
                            GetResyncRequest.newBuilder().setId(asked.getId() + 100).build())));
                } finally {
                    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void aWatchGivesASnapshotThenEveryChangeAndReflectionListsTheService() throws Exception {
        assumeRealParts();
        int port = WebConsoleTest.freePort();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-grpcwatch")) {
            ns.addVethPair("Ethernet0", "peer0");
            ns.exec("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "Ethernet0", "nud",
                    "permanent");
            try (Daemon daemon = started(redis, ns, port)) {
                ManagedChannel channel = channel(port);
                try {
                    awaitServing(channel);
                    // when: a watch, then a change in the kernel
                    Iterator<WatchEvent> events = as(channel, READER).withDeadlineAfter(60, TimeUnit.SECONDS)
                            .watchNeighbors(WatchNeighborsRequest.getDefaultInstance());
                    WatchEvent first = events.next();
                    assertTrue(first.hasSnapshot(), first.toString());
                    assertTrue(first.getSnapshot().getLast());
                    assertEquals(1, first.getSnapshot().getNeighborsCount());
                    ns.exec("neigh", "replace", "10.0.0.3", "lladdr", "02:00:00:00:00:03", "dev", "Ethernet0", "nud",
                            "permanent");
                    // then: the change, with the next revision
                    WatchEvent change = events.next();
                    assertTrue(change.hasChange(), change.toString());
                    assertEquals("Ethernet0:10.0.0.3", change.getChange().getNeighbor().getKey());
                    assertEquals(first.getSnapshot().getPosition().getRevision() + 1, change.getChange().getRevision());
                    // and: a watch from a position of another history starts with a reset and a new snapshot
                    Iterator<WatchEvent> resumed = as(channel, READER).withDeadlineAfter(60, TimeUnit.SECONDS)
                            .watchNeighbors(WatchNeighborsRequest.newBuilder().setFrom(
                                    net.neighsyncd.grpc.v1.Position.newBuilder().setHistory("other").setRevision(1))
                                    .build());
                    WatchEvent reset = resumed.next();
                    assertEquals(net.neighsyncd.grpc.v1.Reset.Reason.OTHER_HISTORY, reset.getReset().getReason(),
                            reset.toString());
                    WatchEvent again = resumed.next();
                    assertEquals(2, again.getSnapshot().getNeighborsCount(), again.toString());
                    // and: reflection lists the service (with a token)
                    assertTrue(services(channel).contains("neighsyncd.v1.Neighsyncd"));
                } finally {
                    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void theGrpcBundleStoppedAndStartedWhileABurstSyncsDoesNotDisturbTheSync() throws Exception {
        assumeRealParts();
        int port = WebConsoleTest.freePort();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-grpccycle");
                KernelAndApplDb tables = new KernelAndApplDb(ns, "Ethernet0", redis)) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = started(redis, ns, port)) {
                ManagedChannel channel = channel(port);
                try {
                    awaitServing(channel);
                    Bundle grpc = daemon.bundle("net.neighsyncd.grpc");
                    // when: 10,000 neighbors come while the bundle stops and starts again
                    List<String> lines = new java.util.ArrayList<>();
                    for (int i = 0; i < 10_000; i++) {
                        lines.add(String.format(java.util.Locale.ROOT, "neigh replace 10.5.%d.%d lladdr "
                                + "02:00:05:00:%02x:%02x dev Ethernet0 nud permanent", i >> 8, i & 0xFF, i >> 8, i & 0xFF));
                    }
                    Thread burst = new Thread(() -> ns.batch(lines));
                    burst.start();
                    grpc.stop();
                    assertEquals(Status.Code.UNAVAILABLE, code(() -> as(channel, READER)
                            .withDeadlineAfter(5, TimeUnit.SECONDS).getStatus(GetStatusRequest.getDefaultInstance())));
                    grpc.start();
                    burst.join(120_000);
                    assertFalse(burst.isAlive(), "ip -batch never ended");
                    // then: APPL_DB is the kernel's table, and the API answers again with all of it
                    tables.awaitEqual(WAIT);
                    awaitServing(channel);
                    assertEquals(10_000, count(channel));
                } finally {
                    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Every neighbor the API lists, page by page. */
    private static int count(ManagedChannel channel) {
        int n = 0;
        String token = "";
        do {
            ListNeighborsResponse page = as(channel, READER).listNeighbors(ListNeighborsRequest.newBuilder()
                    .setPageSize(1000).setPageToken(token).build());
            n += page.getNeighborsCount();
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return n;
    }

    @Test
    void servesTlsOnlyWithPemFilesAndAWatchFromAnUnknownRevisionIsReset() throws Exception {
        assumeRealParts();
        assumeTrue(net.neighsyncd.testsupport.SelfSignedCertificate.available(),
                net.neighsyncd.testsupport.SelfSignedCertificate::whyUnavailable);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("neighsyncd-grpc-tls");
        var pem = net.neighsyncd.testsupport.SelfSignedCertificate.make(dir, "ec");
        int port = WebConsoleTest.freePort();
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-grpctls")) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = Daemon.start(Map.of("net.neighsyncd.access", List.of("tokens = reader:read:"
                    + sha256(READER)), "net.neighsyncd.grpc", List.of("port = " + port, "tlsCertificate = "
                            + pem.certificate(), "tlsKey = " + pem.key())),
                    "--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                daemon.awaitInitialSync(WAIT);
                ManagedChannel tls = NettyChannelBuilder.forAddress("127.0.0.1", port)
                        .sslContext(io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forClient()
                                .trustManager(pem.certificate().toFile()).build())
                        .channelType(io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel.class,
                                java.net.InetSocketAddress.class)
                        .eventLoopGroup(CLIENT_IO).build();
                ManagedChannel plain = channel(port);
                try {
                    // a client that trusts the certificate is served
                    awaitServing(tls);
                    var status = as(tls, READER).getStatus(GetStatusRequest.getDefaultInstance());
                    assertEquals("in_sync", status.getPhase());
                    // a plaintext client is not
                    assertEquals(Status.Code.UNAVAILABLE, code(() -> HealthGrpc.newBlockingStub(plain)
                            .withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance())));
                    // and: a watch from a revision this history has not reached is reset, then gets a snapshot
                    Iterator<WatchEvent> events = as(tls, READER).withDeadlineAfter(60, TimeUnit.SECONDS)
                            .watchNeighbors(WatchNeighborsRequest.newBuilder().setFrom(
                                    net.neighsyncd.grpc.v1.Position.newBuilder().setHistory(
                                            status.getPosition().getHistory()).setRevision(1_000_000)).build());
                    WatchEvent reset = events.next();
                    assertEquals(net.neighsyncd.grpc.v1.Reset.Reason.UNKNOWN_REVISION, reset.getReset().getReason(),
                            reset.toString());
                    assertTrue(events.next().hasSnapshot());
                } finally {
                    tls.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                    plain.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void aStalledWatchIsResetWithANewSnapshotAndTheSyncGoesOnMeanwhile() throws Exception {
        assumeRealParts();
        int port = WebConsoleTest.freePort();
        String hash = sha256(READER);
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-grpcstall");
                KernelAndApplDb tables = new KernelAndApplDb(ns, "Ethernet0", redis)) {
            ns.addVethPair("Ethernet0", "peer0");
            try (Daemon daemon = Daemon.start(Map.of("net.neighsyncd.access", List.of("tokens = reader:read:" + hash),
                    "net.neighsyncd.grpc", List.of("port = " + port, "eventLagLimit = 500")),
                    "--redis-url", redis.unixUrl(0), "--netns", ns.name())) {
                daemon.awaitInitialSync(WAIT);
                // a client whose transport takes 16 KiB at most before it reads: the server's sends then wait
                ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                        .flowControlWindow(16 * 1024)
                        .channelType(io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel.class,
                                java.net.InetSocketAddress.class)
                        .eventLoopGroup(CLIENT_IO).build();
                try {
                    awaitServing(channel);
                    java.util.concurrent.LinkedBlockingQueue<WatchEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
                    AtomicReference<io.grpc.stub.ClientCallStreamObserver<WatchNeighborsRequest>> call = new AtomicReference<>();
                    Metadata m = new Metadata();
                    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + READER);
                    NeighsyncdGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m))
                            .withDeadlineAfter(5, TimeUnit.MINUTES).watchNeighbors(
                                    WatchNeighborsRequest.getDefaultInstance(),
                                    new io.grpc.stub.ClientResponseObserver<WatchNeighborsRequest, WatchEvent>() {
                                        @Override
                                        public void beforeStart(io.grpc.stub.ClientCallStreamObserver<WatchNeighborsRequest> r) {
                                            r.disableAutoRequestWithInitial(1);
                                            call.set(r);
                                        }

                                        @Override
                                        public void onNext(WatchEvent value) {
                                            events.add(value);
                                        }

                                        @Override
                                        public void onError(Throwable t) {
                                        }

                                        @Override
                                        public void onCompleted() {
                                        }
                                    });
                    // given: the snapshot read, then the client reads nothing more
                    WatchEvent snapshot = events.poll(60, TimeUnit.SECONDS);
                    assertTrue(snapshot != null && snapshot.hasSnapshot(), String.valueOf(snapshot));
                    // when: 5,000 neighbors come, ten times the watch's lag limit
                    List<String> lines = new java.util.ArrayList<>();
                    for (int i = 0; i < 5000; i++) {
                        lines.add(String.format(java.util.Locale.ROOT, "neigh replace 10.3.%d.%d lladdr "
                                + "02:00:03:00:%02x:%02x dev Ethernet0 nud permanent", i >> 8, i & 0xFF, i >> 8, i & 0xFF));
                    }
                    ns.batch(lines);
                    // then: the sync is not held back by the stalled watch
                    tables.awaitEqual(WAIT);
                    // and: once the client reads again, it is told to start again and gets a new snapshot, then the
                    // changes after it: no change was buffered for it beyond the transport's window
                    call.get().request(Integer.MAX_VALUE);
                    WatchEvent e;
                    do {
                        e = events.poll(60, TimeUnit.SECONDS);
                        assertTrue(e != null, "no reset after the stall");
                        assertFalse(e.hasSnapshot(), "a snapshot before the reset: " + e);
                    } while (!e.hasReset());
                    assertEquals(net.neighsyncd.grpc.v1.Reset.Reason.LAG, e.getReset().getReason(), e.toString());
                    Map<String, String> view = new java.util.TreeMap<>();
                    do {
                        e = events.poll(60, TimeUnit.SECONDS);
                        assertTrue(e != null && e.hasSnapshot(), String.valueOf(e));
                        e.getSnapshot().getNeighborsList().forEach(n -> view.put(n.getKey(), n.getMac()));
                    } while (!e.getSnapshot().getLast());
                    // (read at its own revision: the changes after it bring it to what APPL_DB holds)
                    Map<String, String> applDb = tables.applDb();
                    while (!view.equals(applDb)) {
                        e = events.poll(60, TimeUnit.SECONDS);
                        assertTrue(e != null && e.hasChange(), "the view stopped short of APPL_DB: "
                                + KernelAndApplDb.diff(applDb, view) + "; then " + e);
                        view.put(e.getChange().getNeighbor().getKey(), e.getChange().getNeighbor().getMac());
                    }
                } finally {
                    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The services server reflection lists (v1), asked with the read token. */
    private static List<String> services(ManagedChannel channel) throws Exception {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + READER);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<ServerReflectionResponse> answer = new AtomicReference<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m)).withDeadlineAfter(20, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.set(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        assertTrue(done.await(30, TimeUnit.SECONDS), "reflection never answered");
        assertFalse(answer.get() == null, "no reflection answer");
        return answer.get().getListServicesResponse().getServiceList().stream().map(s -> s.getName()).toList();
    }
}
