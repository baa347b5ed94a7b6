package net.neighsyncd.jedisunix;

import java.io.IOException;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Opens Jedis connections over a Unix domain socket with the JDK alone (no junixsocket), each on
 * a new {@link UnixDomainSocket}. Jedis takes the read timeout from the socket it is given, so
 * {@code soTimeoutMillis} is the connection's read timeout.
 */
public final class UnixSocketJedisFactory implements JedisSocketFactory {
    private final Path path;
    private final int connectTimeoutMillis;
    private final int soTimeoutMillis;

    /**
     * @param path                 the server's socket file
     * @param connectTimeoutMillis how long a connect may wait; 0 for no limit
     * @param soTimeoutMillis      how long a read may wait for the server; 0 for no limit
     */
    public UnixSocketJedisFactory(Path path, int connectTimeoutMillis, int soTimeoutMillis) {
        if (connectTimeoutMillis < 0 || soTimeoutMillis < 0) {
            throw new IllegalArgumentException("negative timeout: connect " + connectTimeoutMillis + " ms, read "
                    + soTimeoutMillis + " ms");
        }
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

    /** The socket file connections go to. */
    public Path path() {
        return path;
    }

    @Override
    public String toString() {
        return "unix:" + path;
    }
}
