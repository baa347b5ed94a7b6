package net.neighsyncd.redis.internal;

import net.neighsyncd.jedisunix.UnixSocketJedisFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/** Opens Jedis connections to a SONiC database, over a Unix socket or TCP. */
final class RedisClients {
    private RedisClients() {
    }

    /**
     * A connected client with {@code db} selected.
     *
     * @throws redis.clients.jedis.exceptions.JedisException when the server cannot be reached or refuses
     */
    static Jedis open(RedisDatabase db, int connectTimeoutMillis, int socketTimeoutMillis, String clientName) {
        RedisEndpoint endpoint = db.endpoint();
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .database(db.id())
                .connectionTimeoutMillis(connectTimeoutMillis)
                .socketTimeoutMillis(socketTimeoutMillis)
                .clientName(clientName)
                // RESP2, as SONiC's own clients speak; no HELLO
                .autoNegotiateProtocol(false)
                // CLIENT SETINFO is unknown before Redis 7.2; SONiC runs older servers
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        if (endpoint.password() != null) {
            b.user(endpoint.user()).password(endpoint.password());
        }
        JedisClientConfig config = b.build();
        if (endpoint.isUnix()) {
            return new Jedis(new UnixSocketJedisFactory(endpoint.unixSocket(), connectTimeoutMillis, socketTimeoutMillis),
                    config);
        }
        return new Jedis(new HostAndPort(endpoint.host(), endpoint.port()), config);
    }
}
