package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The Debian package the distribution module builds (docs/debian.md): its control data and
 * contents as {@code dpkg-deb} reads them, and, as root on a machine with dpkg, installed with
 * {@code dpkg -i}, started as its systemd unit starts it, stopped with SIGTERM and purged.
 */
class DebianPackageTest {
    private static final Path TARGET = Path.of(System.getProperty("neighsyncd.distribution.target",
            "../distribution/target")).toAbsolutePath();
    /** The Maven version with -SNAPSHOT as ~SNAPSHOT, as the distribution's jdeb configuration maps it. */
    private static final String DEB_VERSION = System.getProperty("neighsyncd.version", "0.1.0-SNAPSHOT")
            .replaceFirst("-SNAPSHOT$", "~SNAPSHOT");
    private static final Path DEB = TARGET.resolve("neighsyncd_" + DEB_VERSION + "_all.deb");
    private static final Path DIST = TARGET.resolve("neighsyncd");

    private static final String SHARE = "/usr/share/neighsyncd";
    private static final String UNIT = "/lib/systemd/system/neighsyncd.service";
    private static final List<Path> INSTALLED = List.of(Path.of(SHARE), Path.of("/etc/neighsyncd"),
            Path.of("/var/lib/neighsyncd"), Path.of("/usr/bin/neighsyncd"), Path.of(UNIT));

    @TempDir
    Path work;

    @Test
    void controlFieldsAndContentsAreThoseOfTheDebianLayout() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed: the Debian package cannot be read here");
        assertTrue(Files.isRegularFile(DEB), DEB + " was not built");

        // control: the fields, the maintainer scripts, every file of etc/ a conffile
        Map<String, String> control = fields(run("dpkg-deb", "--field", DEB.toString()).out());
        assertEquals("neighsyncd", control.get("Package"));
        assertEquals(DEB_VERSION, control.get("Version"));
        assertEquals("all", control.get("Architecture"));
        assertEquals("net", control.get("Section"));
        assertEquals("optional", control.get("Priority"));
        assertEquals("default-jre-headless (>= 2:1.17) | java17-runtime-headless", control.get("Depends"));
        assertEquals("redis-server, redis-tools", control.get("Suggests"));
        assertTrue(control.get("Maintainer").matches(".+ <[^>]+@[^>]+>"), control.get("Maintainer"));
        assertTrue(control.get("Description").startsWith("SONiC neighbor sync daemon"), control.get("Description"));
        String info = run("dpkg-deb", "--info", DEB.toString()).out();
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertTrue(info.matches("(?s).*\\d+ lines +\\* +" + script + " +#!/bin/sh.*"), script + ":\n" + info);
        }
        Set<String> etc = names(DIST.resolve("etc"));
        assertEquals(prefixed("/etc/neighsyncd/", etc),
                new TreeSet<>(run("dpkg-deb", "--info", DEB.toString(), "conffiles").out().lines().toList()));

        // data: owner, mode and place of every entry
        Map<String, String> entries = new HashMap<>(); // path -> "mode link-target"
        for (String line : run("dpkg-deb", "--contents", DEB.toString()).out().lines().toList()) {
            String[] f = line.split(" +", 6);
            assertEquals("root/root", f[1], line);
            String[] nameAndLink = f[5].split(" -> ", 2);
            String path = nameAndLink[0].substring(1).replaceFirst("(.)/$", "$1");
            entries.put(path, f[0] + (nameAndLink.length == 2 ? " " + nameAndLink[1] : ""));
        }
        assertEquals("-rwxr-xr-x", entries.get(SHARE + "/bin/neighsyncd"));
        for (String jar : List.of("neighsyncd-launcher.jar", "org.apache.felix.framework-7.0.5.jar", "neighsyncd.bndrun")) {
            assertEquals("-rw-r--r--", entries.get(SHARE + "/lib/" + jar), jar);
        }
        for (String bundle : names(DIST.resolve("bundle"))) {
            assertEquals("-rw-r--r--", entries.get(SHARE + "/bundle/" + bundle), bundle);
        }
        for (String cfg : etc) {
            assertEquals("-rw-r--r--", entries.get("/etc/neighsyncd/" + cfg), cfg);
        }
        assertEquals("-rw-r--r--", entries.get(UNIT));
        assertEquals("drwxr-x---", entries.get("/var/lib/neighsyncd"));
        assertEquals("drwxr-xr-x", entries.get("/var/lib/neighsyncd/deploy"));
        assertEquals("lrw-r--r-- /etc/neighsyncd", entries.get(SHARE + "/etc"));
        assertEquals("lrw-r--r-- /var/lib/neighsyncd", entries.get(SHARE + "/run"));
        assertEquals("lrw-r--r-- /var/lib/neighsyncd/deploy", entries.get(SHARE + "/deploy"));
        assertEquals("lrw-r--r-- ../share/neighsyncd/bin/neighsyncd", entries.get("/usr/bin/neighsyncd"));
        // nothing else: no tarball unit for /opt, no state or build leftovers
        for (String path : entries.keySet()) {
            assertTrue(path.matches("/(usr(/bin(/neighsyncd)?|/share(/neighsyncd(/(bin|lib|bundle)(/.+)?|/etc|/run|/deploy)?)?)?"
                    + "|etc(/neighsyncd(/[^/]+)?)?|lib(/systemd(/system(/neighsyncd\\.service)?)?)?"
                    + "|var(/lib(/neighsyncd(/deploy)?)?)?)"), path);
        }

        // the unit is the tarball's, but for the package's paths
        String unit = new String(run(List.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -xOf - ." + UNIT,
                DEB.toString())).stdout, StandardCharsets.UTF_8);
        assertEquals(serviceSettings(Files.readString(DIST.resolve("systemd/neighsyncd.service")))
                .replace("ExecStart=/opt/neighsyncd/bin/neighsyncd\n",
                        "ExecStart=/usr/bin/neighsyncd\nEnvironment=NEIGHSYNCD_CDS_ARCHIVE=/var/lib/neighsyncd/neighsyncd.jsa\n"
                                + "StateDirectory=neighsyncd\nStateDirectoryMode=0750\n"),
                serviceSettings(unit));
    }

    @Test
    void installsStartsSyncsStopsAndPurgesCleanly() throws Exception {
        assumeTrue(onPath("dpkg"), "dpkg is not installed: the Debian package cannot be installed here");
        assumeTrue(Netns.usable(), Netns::whyUnusable); // root, and ip for the namespace it watches
        String before = packageStatus();
        assumeTrue(before.isEmpty() || before.endsWith("not-installed"),
                "a neighsyncd package is installed on this machine already; the test leaves it alone");
        assumeTrue(INSTALLED.stream().noneMatch(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)),
                () -> "files of an earlier neighsyncd installation are in the way: " + INSTALLED);
        assumeTrue(!Files.exists(Path.of("/var/run/redis/sonic-db/database_config.json")),
                "this machine has a SONiC database_config.json, which the installed daemon would write to");
        assertTrue(Files.isRegularFile(DEB), DEB + " was not built");

        try {
            // given: the package installed as a SONiC image build installs it
            Result install = run("dpkg", "-i", DEB.toString());
            assertEquals(0, install.code, "dpkg -i failed (the Java dependency needs an installed Debian "
                    + "openjdk-17-jre-headless or default-jre-headless; scripts/test installs it):\n" + install.all());
            assertEquals("install ok installed " + DEB_VERSION,
                    run("dpkg-query", "-W", "-f=${Status} ${Version}", "neighsyncd").out());
            if (onPath("systemd-analyze")) {
                Result verify = run("systemd-analyze", "verify", UNIT);
                assertEquals(0, verify.code, verify.all());
            }
            Set<String> shipped = tree(Path.of(SHARE));

            // when: started as the unit starts it, watching a namespace with a neighbor in it
            String execStart = Files.readAllLines(Path.of(UNIT)).stream().filter(l -> l.startsWith("ExecStart="))
                    .findFirst().orElseThrow().substring("ExecStart=".length());
            try (Netns ns = Netns.create("nsd-deb")) {
                ns.addVethPair("Ethernet0", "peer0");
                List<String> cmd = new ArrayList<>(List.of(execStart.split(" ")));
                cmd.addAll(List.of("--netns", ns.name(), "--http-port", "0"));
                Path log = work.resolve("daemon.log");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().remove("REDIS_SERVER");
                Process daemon = pb.start();
                try {
                    // then: configuration from /etc/neighsyncd, state in /var/lib/neighsyncd, its own Redis there
                    Wait.until("the banner", Duration.ofSeconds(60), () -> Files.readString(log).contains(
                            "neighsyncd: configuration in /etc/neighsyncd, extension bundles in /var/lib/neighsyncd/deploy"));
                    Path socket = Path.of("/var/lib/neighsyncd/redis/redis.sock");
                    assertTrue(Files.readString(log).contains("started redis-server on " + socket), Files.readString(log));
                    assertTrue(Files.isRegularFile(Path.of("/var/lib/neighsyncd/webconsole.password")));
                    Wait.until("initial sync", Duration.ofSeconds(60),
                            () -> Files.readString(log).contains("initial sync written to APPL_DB"));
                    ns.exec("neigh", "replace", "10.9.0.1", "lladdr", "02:00:00:00:09:01", "dev", "Ethernet0", "nud",
                            "permanent");
                    try (Jedis redis = RedisServer.connect(socket, 0)) {
                        Wait.until("the neighbor in APPL_DB", Duration.ofSeconds(15),
                                () -> redis.hgetAll("_NEIGH_TABLE:Ethernet0:10.9.0.1").equals(
                                        Map.of("neigh", "02:00:00:00:09:01", "family", "IPv4")));
                    }

                    // and when: SIGTERM, as systemctl stop sends it
                    daemon.destroy();
                    assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "daemon did not stop");
                    String text = Files.readString(log);
                    assertEquals(0, daemon.exitValue(), text);
                    assertTrue(text.contains("neighsyncd: stopped"), text);
                } finally {
                    daemon.destroyForcibly();
                    daemon.waitFor(30, TimeUnit.SECONDS);
                }
            }
            // then: nothing was written under /usr
            assertEquals(shipped, tree(Path.of(SHARE)));
        } finally {
            // and: purged, the machine is as it was
            Result purge = run("dpkg", "--purge", "neighsyncd");
            assertEquals(0, purge.code, purge.all());
        }
        String after = packageStatus();
        assertTrue(after.isEmpty() || after.endsWith("not-installed"), after);
        for (Path p : INSTALLED) {
            assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " is left after dpkg --purge");
        }
    }

    /** The [Service] and [Unit] settings of a unit file, comments and blank lines left out. */
    private static String serviceSettings(String unit) {
        return unit.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l + "\n")
                .collect(Collectors.joining());
    }

    /** Control fields as dpkg-deb --field prints them; continuation lines joined. */
    private static Map<String, String> fields(String text) {
        Map<String, String> m = new HashMap<>();
        String last = null;
        for (String line : text.lines().toList()) {
            if (line.startsWith(" ") && last != null) {
                m.put(last, m.get(last) + "\n" + line.substring(1));
            } else {
                int colon = line.indexOf(':');
                last = line.substring(0, colon);
                m.put(last, line.substring(colon + 1).strip());
            }
        }
        return m;
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> prefixed(String prefix, Set<String> names) {
        return names.stream().map(n -> prefix + n).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every path under {@code root}, links not followed. */
    private static Set<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(Path::toString).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/bin", command)) || Files.isExecutable(Path.of("/usr/sbin", command));
    }

    /** Exit status, standard output, standard error. */
    private record Result(int code, byte[] stdout, String err) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        String all() {
            return out() + err;
        }
    }

    private static Result run(String... cmd) throws IOException, InterruptedException {
        return run(List.of(cmd));
    }

    /** Runs {@code cmd} and waits for it (two minutes at most). */
    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile("debian-package-test", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** dpkg's status of the package neighsyncd; empty when dpkg does not know it. */
    private static String packageStatus() throws IOException, InterruptedException {
        return run("dpkg-query", "-W", "-f=${Status}", "neighsyncd").out();
    }
}
