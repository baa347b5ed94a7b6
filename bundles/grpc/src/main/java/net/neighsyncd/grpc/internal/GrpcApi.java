package net.neighsyncd.grpc.internal;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import net.neighsyncd.api.access.ApiAccess;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Problem;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.metrics.MeterSpec;
import net.neighsyncd.api.pipeline.PipelineServices;
import net.neighsyncd.api.watch.NeighborWatch;
import net.neighsyncd.grpc.v1.NeighsyncdGrpc;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC API (PID {@value #PID}): a grpc-java server on its Netty transport serving
 * {@code neighsyncd.v1.Neighsyncd}, {@code grpc.health.v1.Health} (overall and per service,
 * following the engines' readiness) and server reflection (v1 and v1alpha). Loopback unless
 * configured; the tokens of {@link ApiAccess}; TLS from PEM files when configured. A rejected
 * configuration keeps the last good one (and its server) and is reported as a health problem.
 */
@Component(service = {HealthContributor.class, MeterSource.class}, configurationPid = GrpcApi.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = GrpcApi.Config.class)
public final class GrpcApi implements HealthContributor, MeterSource {
    static final String PID = "net.neighsyncd.grpc";
    private static final Logger LOG = LoggerFactory.getLogger(GrpcApi.class);
    private static final String SERVICE = NeighsyncdGrpc.SERVICE_NAME;

    @ObjectClassDefinition(name = "neighsyncd gRPC API", description = "The gRPC API (neighsyncd.v1.Neighsyncd, "
            + "grpc.health.v1, reflection): where it listens, TLS, and the limits every call keeps. Its tokens are "
            + "those of net.neighsyncd.access.")
    public @interface Config {
        @AttributeDefinition(name = "Address", description = "The address the server binds; a non-loopback one "
                + "makes the API reachable from the network.")
        String host() default "127.0.0.1";

        @AttributeDefinition(name = "Port", description = "TCP port (0 to 65535; 0: a free one, logged).",
                min = "0", max = "65535")
        int port() default 50051;

        @AttributeDefinition(name = "TLS certificate", description = "PEM certificate chain file; with the key, "
                + "the server speaks TLS only. Empty: plaintext.", required = false)
        String tlsCertificate() default "";

        @AttributeDefinition(name = "TLS key", description = "The certificate's unencrypted PKCS#8 PEM key file.",
                required = false)
        String tlsKey() default "";

        @AttributeDefinition(name = "Largest request", description = "Largest request message accepted "
                + "(bytes, 1024 to 4194304); a larger one ends the call RESOURCE_EXHAUSTED.", min = "1024",
                max = "4194304")
        int maxRequestBytes() default 16_384;

        @AttributeDefinition(name = "Watches", description = "Most WatchNeighbors calls open at once (calls, 0 to "
                + "1024); one more ends UNAVAILABLE.", min = "0", max = "1024")
        int maxWatchClients() default 8;

        @AttributeDefinition(name = "Watch lag limit", description = "Most changes a watch may fall behind the "
                + "engine before it gets a reset and a new snapshot (changes, 16 to 10000000); a request's max_lag "
                + "may ask for less. Depends on the engine's watchHistory, which resets it first when smaller.",
                min = "16", max = "10000000")
        int eventLagLimit() default 10_000;

        @AttributeDefinition(name = "Largest page", description = "Most neighbors one ListNeighbors page holds "
                + "(neighbors, 1 to 100000); a larger page_size ends INVALID_ARGUMENT.", min = "1", max = "100000")
        int maxPageSize() default 1000;

        @AttributeDefinition(name = "Resync interval", description = "Shortest time between two resyncs of one "
                + "pipeline asked over gRPC (seconds, 0 to 86400); one sooner ends RESOURCE_EXHAUSTED.", min = "0",
                max = "86400")
        long resyncMinIntervalSeconds() default 10;

        @AttributeDefinition(name = "Keepalive", description = "How long a connection may be quiet before the "
                + "server pings it (seconds, 10 to 86400).", min = "10", max = "86400")
        int keepaliveSeconds() default 60;

        @AttributeDefinition(name = "Keepalive timeout", description = "How long a ping may go unanswered before "
                + "the connection is closed (seconds, 1 to 3600); less than the keepalive.", min = "1", max = "3600")
        int keepaliveTimeoutSeconds() default 20;

        @AttributeDefinition(name = "Client ping interval", description = "Shortest interval between a client's "
                + "keepalive pings the server allows (seconds, 1 to 86400); a client pinging more often is "
                + "disconnected.", min = "1", max = "86400")
        int permitKeepaliveSeconds() default 30;
    }

    private final PipelineServices<SyncEngine> engines = new PipelineServices<>();
    private final PipelineServices<NeighborWatch> watches = new PipelineServices<>();
    private volatile ApiAccess access;

    private volatile GrpcSettings settings;
    private volatile String rejected;
    /** Why the server does not listen (its address taken, its PEM files unreadable); null while it does. */
    private volatile String listenFailure;
    private Server server;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private HealthStatusManager health;
    private ScheduledExecutorService healthPoll;
    private final AtomicInteger watchThreads = new AtomicInteger();
    private ExecutorService watchExecutor;
    private final Set<WatchCall> openWatches = ConcurrentHashMap.newKeySet();
    private final AtomicInteger watchCount = new AtomicInteger();
    private final Map<String, Long> lastResync = new java.util.HashMap<>();
    private final Map<Status.Code, LongAdder> refusals = new EnumMap<>(Status.Code.class);
    private final LongAdder watchResets = new LongAdder();
    private final LongAdder configRejected = new LongAdder();

    public GrpcApi() {
        for (Status.Code c : Status.Code.values()) {
            refusals.put(c, new LongAdder());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "bindEngine")
    void bindEngine(SyncEngine e, Map<String, Object> props) {
        engines.bind(e, props);
    }

    void unbindEngine(SyncEngine e) {
        engines.unbind(e);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "bindWatch")
    void bindWatch(NeighborWatch w, Map<String, Object> props) {
        watches.bind(w, props);
    }

    void unbindWatch(NeighborWatch w) {
        watches.unbind(w);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAccess")
    void bindAccess(ApiAccess a) {
        access = a;
    }

    void unbindAccess(ApiAccess a) {
        if (access == a) {
            access = null;
        }
    }

    @Activate
    synchronized void activate(Config config) {
        watchExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "neighsyncd-grpc-watch-" + watchThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        health = new HealthStatusManager();
        healthPoll = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "neighsyncd-grpc-health");
            t.setDaemon(true);
            return t;
        });
        healthPoll.scheduleWithFixedDelay(this::updateHealth, 0, 1, TimeUnit.SECONDS);
        modified(config);
    }

    @Modified
    synchronized void modified(Config config) {
        GrpcSettings next;
        try {
            next = GrpcSettings.of(config);
        } catch (IllegalArgumentException e) {
            rejected = e.getMessage();
            configRejected.increment();
            LOG.error("configuration {} rejected, keeping the last good one: {}", PID, rejected);
            if (settings == null) {
                // nothing good yet: listen as the defaults say
                start(GrpcSettings.DEFAULTS);
            }
            return;
        }
        rejected = null;
        if (server != null && next.listensAs(settings)) {
            settings = next;
            return;
        }
        GrpcSettings previous = server != null ? settings : null;
        start(next);
        if (server == null && previous != null) {
            // the new address cannot be had: the last good one listens again, and health says why
            String failure = listenFailure;
            start(previous);
            if (server != null) {
                rejected = "not in force, " + failure;
                configRejected.increment();
            }
        }
    }

    private void start(GrpcSettings next) {
        stopServer();
        settings = next;
        // NIO, not Netty's native epoll: no native library to extract and load from inside a bundle
        // (a JVM binds a native library to one class loader only)
        boss = new NioEventLoopGroup(1, daemonThreads("neighsyncd-grpc-boss"));
        workers = new NioEventLoopGroup(0, daemonThreads("neighsyncd-grpc-io"));
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(next.host(), next.port()))
                .channelType(NioServerSocketChannel.class).bossEventLoopGroup(boss).workerEventLoopGroup(workers)
                .maxInboundMessageSize(next.maxRequestBytes())
                .maxInboundMetadataSize(8192)
                .keepAliveTime(next.keepaliveSeconds(), TimeUnit.SECONDS)
                .keepAliveTimeout(next.keepaliveTimeoutSeconds(), TimeUnit.SECONDS)
                .permitKeepAliveTime(next.permitKeepaliveSeconds(), TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(ServerInterceptors.intercept(new NeighsyncdService(engines, watches, this),
                        new BearerInterceptor(() -> access, () -> refused(Status.Code.UNAUTHENTICATED))))
                .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(),
                        new BearerInterceptor(() -> access, () -> refused(Status.Code.UNAUTHENTICATED))))
                .addService(ServerInterceptors.intercept(ProtoReflectionService.newInstance(),
                        new BearerInterceptor(() -> access, () -> refused(Status.Code.UNAUTHENTICATED))))
                .addService(health.getHealthService());
        try {
            if (next.tls()) {
                b.sslContext(GrpcSslContexts.forServer(new File(next.tlsCertificate()), new File(next.tlsKey()))
                        .build());
            }
            server = b.build().start();
        } catch (IOException | IllegalArgumentException e) {
            // the address is taken or the PEM files cannot be read: the sync goes on, health says why
            server = null;
            listenFailure = "cannot listen on " + next.host() + ":" + next.port() + (next.tls() ? " with TLS" : "")
                    + ": " + e.getMessage();
            LOG.error("gRPC API: {}", listenFailure);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            return;
        }
        listenFailure = null;
        LOG.info("gRPC API listening on {}:{}{}", next.host(), server.getPort(), next.tls() ? " (TLS)" : "");
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the server and its threads, and waits for them: nothing of the bundle runs after. */
    private void stopServer() {
        if (server == null) {
            return;
        }
        openWatches.forEach(WatchCall::stop);
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        } finally {
            boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        server = null;
    }

    @Deactivate
    synchronized void deactivate() throws InterruptedException {
        health.enterTerminalState();
        stopServer();
        healthPoll.shutdownNow();
        watchExecutor.shutdownNow();
        healthPoll.awaitTermination(5, TimeUnit.SECONDS);
        watchExecutor.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The bound port (a free one when configured 0): for tests and the log. */
    synchronized int port() {
        return server == null ? -1 : server.getPort();
    }

    GrpcSettings settings() {
        return settings;
    }

    /** Serving while every engine is ready (none: not serving); per service the same. */
    private void updateHealth() {
        try {
            Map<String, SyncEngine> all = engines.all();
            boolean ready = !all.isEmpty() && all.values().stream().allMatch(e -> e.status().health().ready());
            ServingStatus s = ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, s);
            health.setStatus(SERVICE, s);
        } catch (RuntimeException e) {
            LOG.debug("health update failed: {}", e.toString());
        }
    }

    /** Starts {@code call} on a thread of its own; false when as many watches as allowed are open. */
    boolean startWatch(WatchCall call) {
        int limit = settings.maxWatchClients();
        while (true) {
            int n = watchCount.get();
            if (n >= limit) {
                return false;
            }
            if (watchCount.compareAndSet(n, n + 1)) {
                break;
            }
        }
        openWatches.add(call);
        watchExecutor.execute(() -> {
            try {
                call.run();
            } finally {
                openWatches.remove(call);
                watchCount.decrementAndGet();
            }
        });
        return true;
    }

    /**
     * Whether a resync of {@code namespace} may be asked now: 0 when it may (and it counts as asked),
     * else the seconds to wait.
     */
    long resyncAllowedIn(String namespace) {
        long interval = TimeUnit.SECONDS.toNanos(settings.resyncMinIntervalSeconds());
        long now = System.nanoTime();
        synchronized (lastResync) {
            Long last = lastResync.get(namespace);
            if (last != null && now - last < interval) {
                return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(interval - (now - last) + 999_999_999L));
            }
            lastResync.put(namespace, now);
            return 0;
        }
    }

    void refused(Status.Code code) {
        refusals.get(code).increment();
    }

    void countReset() {
        watchResets.increment();
    }

    @Override
    public Set<Problem> problems() {
        Set<Problem> out = new java.util.HashSet<>();
        String why = rejected;
        if (why != null) {
            out.add(Problem.degraded(PID, "configuration rejected, the last good one is in force: " + why));
        }
        String failure = listenFailure;
        if (failure != null) {
            out.add(Problem.degraded(PID, failure));
        }
        return out;
    }

    @Override
    public List<MeterSpec> meters() {
        List<MeterSpec> out = new java.util.ArrayList<>();
        for (Status.Code c : List.of(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED,
                Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND, Status.Code.RESOURCE_EXHAUSTED,
                Status.Code.UNAVAILABLE)) {
            out.add(MeterSpec.counter("neighsyncd.grpc.calls.refused", "gRPC calls ended with an error, by status",
                    Map.of("code", c.name().toLowerCase(java.util.Locale.ROOT)), refusals.get(c)::sum));
        }
        out.add(MeterSpec.counter("neighsyncd.grpc.config.rejected", "gRPC API configurations rejected (the last "
                + "good one kept)", Map.of(), configRejected::sum));
        out.add(MeterSpec.counter("neighsyncd.grpc.watch.resets", "Watches told to start again from a snapshot",
                Map.of(), watchResets::sum));
        out.add(MeterSpec.gauge("neighsyncd.grpc.watch.clients", null, "WatchNeighbors calls open", Map.of(),
                watchCount::get));
        return out;
    }
}
