package net.neighsyncd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisTest {
    @TempDir
    Path run;

    @Test
    void startsTheShippedRedisServerWhenNoneIsOnPath() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64|aarch64|arm64"),
                "embedded-redis ships redis-server for Linux amd64 and arm64 only");
        // given: an environment whose PATH has no redis-server
        Map<String, String> env = Map.of("PATH", run.toString());
        // when
        try (EmbeddedRedis redis = EmbeddedRedis.start(run, env)) {
            // then: a real server answers PING on the socket
            assertTrue(Files.exists(redis.socket()));
            assertEquals("PONG", pingWithJava(redis.socket()));
            assertTrue(Files.isExecutable(run.resolve("redis/redis-server")));
        }
    }

    @Test
    void prefersRedisServerNamedByTheEnvironment() throws Exception {
        // given: a program named by REDIS_SERVER and another redis-server on PATH
        Path fake = executable(run.resolve("my-redis-server"));
        Path onPath = executable(run.resolve("bin/redis-server"));
        // when
        Path found = EmbeddedRedis.findBinary(Map.of("REDIS_SERVER", fake.toString(),
                "PATH", onPath.getParent().toString()), run);
        // then
        assertEquals(fake, found);
    }

    private static Path executable(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void failsWithAClearMessageWhenTheBinaryCannotStart() {
        // given: REDIS_SERVER names something that is not a program
        Map<String, String> env = Map.of("REDIS_SERVER", run.resolve("missing").toString());
        // when / then
        IOException e = assertThrows(IOException.class, () -> EmbeddedRedis.start(run, env));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    private static String pingWithJava(Path socket) throws Exception {
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            ch.write(java.nio.ByteBuffer.wrap("PING\r\n".getBytes()));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64);
            ch.read(buf);
            return new String(buf.array(), 0, buf.position()).trim().replace("+", "");
        }
    }
}
