package net.neighsyncd.redis.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a Redis server listens: a Unix domain socket or a TCP host and port, with optional
 * credentials.
 *
 * @param unixSocket the socket file, or {@code null} for TCP
 * @param host       the TCP host, or {@code null} for a Unix socket
 * @param port       the TCP port; 0 for a Unix socket
 * @param user       the ACL user, or {@code null}
 * @param password   the password, or {@code null}
 */
record RedisEndpoint(Path unixSocket, String host, int port, String user, String password) {

    RedisEndpoint {
        if ((unixSocket == null) == (host == null)) {
            throw new IllegalArgumentException("an endpoint is either a Unix socket or a TCP host");
        }
        if (host != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("TCP port out of range 1..65535: " + port);
        }
    }

    static RedisEndpoint unix(Path socket) {
        return new RedisEndpoint(Objects.requireNonNull(socket, "socket"), null, 0, null, null);
    }

    static RedisEndpoint tcp(String host, int port) {
        return new RedisEndpoint(null, Objects.requireNonNull(host, "host"), port, null, null);
    }

    RedisEndpoint withCredentials(String user, String password) {
        return new RedisEndpoint(unixSocket, host, port, user, password);
    }

    boolean isUnix() {
        return unixSocket != null;
    }

    /** For logs: the address without the credentials. */
    @Override
    public String toString() {
        if (isUnix()) {
            return "unix:" + unixSocket;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
