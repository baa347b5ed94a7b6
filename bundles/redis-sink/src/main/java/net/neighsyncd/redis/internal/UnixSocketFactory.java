package net.neighsyncd.redis.internal;

import java.io.IOException;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Opens Jedis connections over a Unix domain socket with the JDK alone (no junixsocket). */
final class UnixSocketFactory implements JedisSocketFactory {
    private final Path path;
    private final int connectTimeoutMillis;
    private final int soTimeoutMillis;

    /**
     * @param path                 the server's socket file
     * @param connectTimeoutMillis how long a connect may wait; 0 for no limit
     * @param soTimeoutMillis      how long a read may wait for the server; 0 for no limit
     */
    UnixSocketFactory(Path path, int connectTimeoutMillis, int soTimeoutMillis) {
        this.path = path;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.soTimeoutMillis = soTimeoutMillis;
    }

    @Override
    public Socket createSocket() throws JedisConnectionException {
        UnixDomainSocket socket = new UnixDomainSocket();
        try {
            socket.connect(UnixDomainSocketAddress.of(path), connectTimeoutMillis);
            socket.setSoTimeout(soTimeoutMillis);
            return socket;
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new JedisConnectionException("cannot connect to Redis at unix:" + path + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "unix:" + path;
    }
}
