package net.neighsyncd.grpc.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@link GrpcApi.Config}.
 *
 * @param host              the address the server binds ({@code 127.0.0.1} unless configured)
 * @param port              its TCP port (0: a free one, logged)
 * @param tlsCertificate    PEM certificate chain; empty with {@code tlsKey} empty: plaintext
 * @param tlsKey            its unencrypted PKCS#8 PEM key
 * @param maxRequestBytes   largest request message accepted
 * @param maxWatchClients   most WatchNeighbors calls open at once
 * @param eventLagLimit     most changes a watch may fall behind before it is reset
 * @param maxPageSize       most neighbors in one ListNeighbors page
 * @param resyncMinIntervalSeconds shortest time between two resyncs of one pipeline asked over gRPC
 * @param keepaliveSeconds  how long a connection may be quiet before the server pings it
 * @param keepaliveTimeoutSeconds how long a ping may go unanswered before the connection is closed
 * @param permitKeepaliveSeconds shortest interval between a client's pings that the server allows
 */
record GrpcSettings(String host, int port, String tlsCertificate, String tlsKey, int maxRequestBytes,
        int maxWatchClients, int eventLagLimit, int maxPageSize, long resyncMinIntervalSeconds, int keepaliveSeconds,
        int keepaliveTimeoutSeconds, int permitKeepaliveSeconds) {

    /** The defaults of {@link GrpcApi.Config}. */
    static final GrpcSettings DEFAULTS = new GrpcSettings("127.0.0.1", 50051, "", "", 16_384, 8, 10_000, 1000, 10, 60,
            20, 30);

    /**
     * Validates {@code c}.
     *
     * @throws IllegalArgumentException naming every problem
     */
    static GrpcSettings of(GrpcApi.Config c) {
        List<String> problems = new ArrayList<>();
        if (c.host() == null || c.host().isBlank()) {
            problems.add("host is empty");
        }
        range(problems, "port", c.port(), 0, 65_535);
        boolean cert = !c.tlsCertificate().isBlank();
        boolean key = !c.tlsKey().isBlank();
        if (cert != key) {
            problems.add("tlsCertificate and tlsKey go together: both or neither");
        }
        range(problems, "maxRequestBytes", c.maxRequestBytes(), 1024, 4_194_304);
        range(problems, "maxWatchClients", c.maxWatchClients(), 0, 1024);
        range(problems, "eventLagLimit", c.eventLagLimit(), 16, 10_000_000);
        range(problems, "maxPageSize", c.maxPageSize(), 1, 100_000);
        range(problems, "resyncMinIntervalSeconds", c.resyncMinIntervalSeconds(), 0, 86_400);
        range(problems, "keepaliveSeconds", c.keepaliveSeconds(), 10, 86_400);
        range(problems, "keepaliveTimeoutSeconds", c.keepaliveTimeoutSeconds(), 1, 3_600);
        range(problems, "permitKeepaliveSeconds", c.permitKeepaliveSeconds(), 1, 86_400);
        if (c.keepaliveTimeoutSeconds() >= c.keepaliveSeconds()) {
            // depends on keepaliveSeconds: an unanswered ping is given up before the next is due
            problems.add("keepaliveTimeoutSeconds=" + c.keepaliveTimeoutSeconds() + " must be less than "
                    + "keepaliveSeconds=" + c.keepaliveSeconds());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new GrpcSettings(c.host().trim(), c.port(), c.tlsCertificate().trim(), c.tlsKey().trim(),
                c.maxRequestBytes(), c.maxWatchClients(), c.eventLagLimit(), c.maxPageSize(),
                c.resyncMinIntervalSeconds(), c.keepaliveSeconds(), c.keepaliveTimeoutSeconds(),
                c.permitKeepaliveSeconds());
    }

    boolean tls() {
        return !tlsCertificate.isEmpty();
    }

    /** Whether a server of {@code other} must be started anew (where and how it listens differ). */
    boolean listensAs(GrpcSettings other) {
        return other != null && host.equals(other.host) && port == other.port && tlsCertificate.equals(other.tlsCertificate)
                && tlsKey.equals(other.tlsKey) && maxRequestBytes == other.maxRequestBytes
                && keepaliveSeconds == other.keepaliveSeconds && keepaliveTimeoutSeconds == other.keepaliveTimeoutSeconds
                && permitKeepaliveSeconds == other.permitKeepaliveSeconds;
    }

    private static void range(List<String> problems, String key, long v, long min, long max) {
        if (v < min || v > max) {
            problems.add(key + "=" + v + " is outside " + min + ".." + max);
        }
    }
}
