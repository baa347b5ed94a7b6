package net.neighsyncd.redisserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RedisServerProcessTest {
    @TempDir
    Path tmp;

    @Test
    void theProgramNamedByRedisServerIsPreferredToOneOnThePath() throws IOException {
        Path named = executable(tmp.resolve("named/my-redis-server"), "exit 0");
        Path onPath = executable(tmp.resolve("bin/redis-server"), "exit 0");
        assertEquals(Optional.of(named),
                RedisServerProcess.find(Map.of("REDIS_SERVER", named.toString(), "PATH", onPath.getParent().toString())));
    }

    @Test
    void theFirstRedisServerOnThePathIsTaken() throws IOException {
        Path first = executable(tmp.resolve("a/redis-server"), "exit 0");
        executable(tmp.resolve("b/redis-server"), "exit 0");
        assertEquals(Optional.of(first), RedisServerProcess.find(Map.of("PATH", tmp.resolve("a") + ":" + tmp.resolve("b"))));
    }

    @Test
    void aRedisServerOnThePathThatIsNotExecutableIsPassedOver() throws IOException {
        Files.createDirectories(tmp.resolve("a"));
        Files.writeString(tmp.resolve("a/redis-server"), "not a program");
        Path second = executable(tmp.resolve("b/redis-server"), "exit 0");
        assertEquals(Optional.of(second), RedisServerProcess.find(Map.of("PATH", tmp.resolve("a") + ":" + tmp.resolve("b"))));
    }

    @Test
    void nothingIsFoundWhenNeitherRedisServerNorThePathNamesOne() throws IOException {
        assertEquals(Optional.empty(), RedisServerProcess.find(Map.of("PATH", tmp.toString())));
    }

    @Test
    void aRedisServerVariableNamingNoExecutableFileIsAnErrorThatNamesIt() {
        Path missing = tmp.resolve("missing");
        IOException e = assertThrows(IOException.class,
                () -> RedisServerProcess.find(Map.of("REDIS_SERVER", missing.toString())));
        assertTrue(e.getMessage().contains("REDIS_SERVER=" + missing), e.getMessage());
    }

    @Test
    void aStartedServerAnswersPingOnTheSocketInItsDirectory() throws IOException {
        Path binary = realRedisServer();
        Path dir = tmp.resolve("redis");
        try (RedisServerProcess redis = RedisServerProcess.start(binary, dir)) {
            assertEquals(dir.resolve("redis.sock"), redis.socket());
            assertEquals("+PONG", ping(redis.socket()));
            assertTrue(redis.isAlive());
        }
    }

    @Test
    void aSocketFileLeftByAKilledServerDoesNotStopTheNextStartInTheSameDirectory() throws IOException {
        Path binary = realRedisServer();
        Path dir = tmp.resolve("redis");
        RedisServerProcess first = RedisServerProcess.start(binary, dir);
        first.kill();
        assertTrue(Files.exists(first.socket()), "SIGKILL leaves the socket file behind");
        try (RedisServerProcess second = RedisServerProcess.start(binary, dir)) {
            assertEquals("+PONG", ping(second.socket()));
        }
    }

    @Test
    void stopEndsTheServer() throws IOException {
        RedisServerProcess redis = RedisServerProcess.start(realRedisServer(), tmp.resolve("redis"));
        redis.stop();
        assertFalse(redis.isAlive());
    }

    @Test
    void killEndsTheServer() throws IOException {
        RedisServerProcess redis = RedisServerProcess.start(realRedisServer(), tmp.resolve("redis"));
        redis.kill();
        assertFalse(redis.isAlive());
    }

    @Test
    void theServersOutputGoesToItsLog() throws IOException {
        try (RedisServerProcess redis = RedisServerProcess.start(realRedisServer(), tmp.resolve("redis"))) {
            assertEquals(tmp.resolve("redis/redis.log"), redis.log());
            assertFalse(redis.logText().isEmpty(), "redis-server writes its banner at start");
        }
    }

    @Test
    void aProgramThatExitsWhileStartingFailsTheStartWithItsExitCodeAndOutput() throws IOException {
        Path fake = executable(tmp.resolve("bin/redis-server"), "echo 'FATAL bad option' >&2; exit 3");
        IOException e = assertThrows(IOException.class, () -> RedisServerProcess.start(fake, tmp.resolve("redis")));
        assertTrue(e.getMessage().contains("exited with 3"), e.getMessage());
        assertTrue(e.getMessage().contains("FATAL bad option"), e.getMessage());
    }

    @Test
    void aProgramThatCannotRunFailsTheStartNamingIt() {
        Path missing = tmp.resolve("missing-redis-server");
        IOException e = assertThrows(IOException.class, () -> RedisServerProcess.start(missing, tmp.resolve("redis")));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    private static Path realRedisServer() throws IOException {
        Optional<Path> found = RedisServerProcess.find(System.getenv());
        assumeTrue(found.isPresent(), "skipped: no redis-server (set REDIS_SERVER or put redis-server on the PATH)");
        return found.get();
    }

    private static Path executable(Path file, String script) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** One PING with the JDK alone, independent of the class under test. */
    private static String ping(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("PING\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(64);
            while (reply.position() < 2 || reply.get(reply.position() - 1) != '\n') {
                if (ch.read(reply) < 0) {
                    break;
                }
            }
            return new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII).trim();
        }
    }
}
