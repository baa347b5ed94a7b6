package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive of a start (docs/benchmarks.md, Start): the build records one with the
 * distribution, {@code bin/neighsyncd} uses it while it matches the Java and the jars, and
 * {@code --build-cds-archive} records it again where it does not.
 */
class ClassDataArchiveTest {
    private static final Path DIST = DaemonProcess.DIST;
    private static final String FROM_ARCHIVE = "source: shared objects file (top)";

    @TempDir
    Path work;

    @Test
    void theBuiltDistributionLoadsTheSyncBundlesClassesFromItsArchive() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        // given: the archive the build recorded
        assertTrue(Files.isRegularFile(DIST.resolve("lib/neighsyncd.jsa")), "the build records lib/neighsyncd.jsa");
        try (Netns ns = Netns.create("nsd-cds")) {
            Path classes = work.resolve("class-load.log");
            Path log = work.resolve("daemon.log");
            // when: the daemon starts as usual, logging where each class came from
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns.name(), DIST.resolve("bin/neighsyncd").toString(),
                    "--run-dir", work.resolve("run").toString(), "--config-dir", DaemonProcess.configDir(work, Map.of()).toString(), "--http-port", "0");
            pb.environment().put("NEIGHSYNCD_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
            pb.environment().remove("REDIS_SERVER");
            Process daemon = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                Wait.until("initial sync", Duration.ofSeconds(60),
                        () -> Files.readString(log).contains("initial sync written to APPL_DB"));
                daemon.destroy();
                assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "daemon did not stop");
            } finally {
                daemon.destroyForcibly();
            }
            // then: the launcher's classes, and those the sync bundles' class loaders defined, came from the archive
            String loaded = Files.readString(classes);
            for (String c : List.of("net.neighsyncd.launcher.Main", "org.apache.felix.framework.Felix",
                    "net.neighsyncd.core.internal.SyncEngineComponent", "net.neighsyncd.netlink.internal.NetlinkReader",
                    "net.neighsyncd.redis.internal.AppDbNeighborSink")) {
                assertTrue(loaded.contains(c + " " + FROM_ARCHIVE), c + " not from the archive:\n" + lineOf(loaded, c));
            }
            assertFalse(Files.readString(log).contains("not used"), Files.readString(log));
        }
    }

    @Test
    void anArchiveRecordedForAnotherPlaceIsNotUsedAndTheOperatorIsToldHowToRecordItAgain() throws Exception {
        // given: the distribution copied elsewhere, its archive with it
        Path copy = copyOfDistribution();
        // when
        Run help = run(copy, List.of("--help"), "-Xlog:class+load=info");
        // then: it starts, without the archive, and says why and what to do
        assertEquals(0, help.status(), help.out());
        assertTrue(help.out().contains("was recorded with another Java or other jars, not used"), help.out());
        assertTrue(help.out().contains("--build-cds-archive"), help.out());
        assertFalse(help.out().contains("net.neighsyncd.launcher.Main " + FROM_ARCHIVE), help.out());
    }

    @Test
    void buildCdsArchiveRecordsAnArchiveTheNextStartUses() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        // given: the distribution copied elsewhere, where the build's archive does not apply
        Path copy = copyOfDistribution();
        try (Netns ns = Netns.create("nsd-cdsrec")) {
            // when: the archive is recorded there (the training run watches a private namespace)
            Run record = run(copy, List.of("--build-cds-archive", "--netns", ns.name()), "");
            // then
            assertEquals(0, record.status(), record.out());
            assertTrue(record.out().contains("class-data archive " + copy.resolve("lib/neighsyncd.jsa") + " written"),
                    record.out());
            // and the next start uses it: -Xshare:on makes the JVM refuse to run without it
            Run help = run(copy, List.of("--help"), "-Xshare:on -Xlog:class+load=info");
            assertEquals(0, help.status(), help.out());
            assertTrue(help.out().contains("net.neighsyncd.launcher.Main " + FROM_ARCHIVE), help.out());
            assertFalse(help.out().contains("not used"), help.out());
        }
    }

    private record Run(int status, String out) {
    }

    private Run run(Path dist, List<String> args, String javaOpts) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(dist.resolve("bin/neighsyncd").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NEIGHSYNCD_JAVA_OPTS", javaOpts);
        pb.environment().remove("NEIGHSYNCD_CDS_ARCHIVE");
        pb.environment().remove("REDIS_SERVER");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bin/neighsyncd " + args + " did not end:\n" + out);
        return new Run(p.exitValue(), out);
    }

    private Path copyOfDistribution() throws IOException {
        Path copy = work.resolve("neighsyncd");
        for (String dir : List.of("bin", "lib", "bundle", "etc")) {
            copyTree(DIST.resolve(dir), copy.resolve(dir));
        }
        copy.resolve("bin/neighsyncd").toFile().setExecutable(true);
        return copy;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static String lineOf(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).findFirst().orElse("(never loaded)");
    }
}
