package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The bundle's clients over a unix socket: its read timeout applies, and real traffic of any size passes. */
class RedisClientsOverUnixSocketTest extends RealRedisTest {
    @TempDir
    Path tmp;

    @Test
    void aServerThatAcceptsAndNeverAnswersFailsTheClientWithTheReadTimeoutItWasOpenedWith() throws Exception {
        // given a "Redis" whose listen backlog accepts the connection and which never answers
        Path path = tmp.resolve("silent.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(path));
            RedisDatabase db3 = new RedisDatabase("APPL_DB", RedisEndpoint.unix(path), 3, ":");
            // when selecting database 3 (and pinging), which needs an answer
            JedisConnectionException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(JedisConnectionException.class, () -> {
                        try (Jedis j = RedisClients.open(db3, 500, 400, "test")) {
                            j.ping();
                        }
                    }));
            // then the read timed out
            assertInstanceOf(SocketTimeoutException.class, rootCause(e), e.toString());
        }
    }

    @Test
    void aValueFarLargerThanTheSocketBuffersGoesToARealRedisAndComesBackWhole() {
        byte[] big = new byte[4 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        big[big.length - 1] = 'y';
        try (Jedis j = productionClient(1)) {
            j.set("big".getBytes(), big);
            assertArrayEquals(big, j.get("big".getBytes()));
        }
        try (Jedis other = redis.jedis(1)) {
            assertEquals(big.length, other.strlen("big"));
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
