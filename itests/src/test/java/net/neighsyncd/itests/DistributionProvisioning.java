package net.neighsyncd.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.neighsyncd.launcher.RuntimeDescription;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Constants;

/**
 * Driver side of {@link DistributionInFelixPaxExamTest} (never loaded inside the framework): a
 * real redis-server and network namespace, and the Pax Exam options that make the native Felix
 * container the distribution's runtime.
 *
 * <p>What the container gets, compared with {@code NeighsyncdRuntime}:
 * <ul>
 * <li>the same runtime, read the same way ({@link RuntimeDescription}, the installation's
 * {@code lib/neighsyncd.bndrun}): its bundles from {@code bundle/} at their start levels, its
 * framework properties ({@code -runproperties}); then the site's, as the launcher adds them
 * (FileInstall on a temporary copy of {@code etc/}, the {@code neighsyncd.*} values the
 * {@code etc/*.cfg} files substitute, the Web Console on loopback with a random password); and no
 * boot delegation (Pax Exam's default {@code sun.*} is overridden);</li>
 * <li>Pax Logging is not provisioned ({@code pax.exam.logging=none} in {@code exam.properties}),
 * so {@code org.slf4j} has one exporter, the distribution's slf4j-api, bound to logback by
 * SPI Fly at start level 1 as in production (the test asserts it);</li>
 * <li>in addition: Pax Exam's own bundles at start levels 2 and 3 (pax-exam, inject, extender,
 * swissbox, ops4j-base, jakarta.inject, ServiceMix JUnit and Hamcrest, the JUnit invoker; they
 * import {@code org.slf4j} in [1.4,2), which the distribution's slf4j-api 2.x also exports as
 * 1.7.36), the probe bundle at level 5, and the system packages {@code org.ops4j.pax.exam},
 * {@code .options}, {@code .util};</li>
 * <li>Pax Exam starts bundles eagerly ({@code Bundle.start()}), the launcher with
 * {@code START_ACTIVATION_POLICY}: the one lazy bundle, JNA (no activator), is active from the
 * start here instead of on the netlink bundle's first use of it; the framework's final start
 * level is Pax Exam's 5 (the probe's) instead of the description's highest, 3.</li>
 * </ul>
 * The redis-server and the namespace live until the test JVM exits (the configuration is called
 * when the runner is created, and Pax Exam runs no driver-side teardown).
 */
final class DistributionProvisioning {
    private static final Path DIST = Path.of(System.getProperty("neighsyncd.dist", "../distribution/target/neighsyncd"))
            .toAbsolutePath().normalize();

    /** Surefire's JUnit Platform provider creates the runner, and so calls the configuration, twice. */
    private static DistributionProvisioning instance;

    private final Option[] options;

    private DistributionProvisioning(Option[] options) {
        this.options = options;
    }

    /** The provisioning of this test JVM: created once, with its redis-server and namespace. */
    static synchronized DistributionProvisioning get() throws Exception {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    /** Starts redis-server and the namespace, or only explains why the test must be skipped. */
    private static DistributionProvisioning create() throws Exception {
        String why = RedisServer.whyUnavailable();
        if (why == null) {
            why = Netns.whyUnusable();
        }
        if (!Files.isDirectory(DIST.resolve("bundle"))) {
            // not a skip: the build must produce the distribution first
            throw new IllegalStateException("no distribution at " + DIST + ": build it with mvn install first");
        }
        RuntimeDescription runtime = RuntimeDescription.read(DIST);
        if (why != null) {
            // the driver skips the test before calling the probe; the container still starts, with
            // Pax Exam's bundles and the slf4j-api (start level 1) they import org.slf4j from
            List<Option> o = new ArrayList<>();
            o.add(systemProperty(DistributionInFelixPaxExamTest.SKIP_PROPERTY).value(why));
            o.addAll(distributionBundles(runtime, 1));
            o.add(junitBundles());
            return new DistributionProvisioning(o.toArray(new Option[0]));
        }

        RedisServer redis = RedisServer.start();
        Netns ns;
        Path work;
        try {
            ns = Netns.create("nsd-pax");
            ns.addVethPair("Ethernet0", "peer0");
            work = Files.createTempDirectory("neighsyncd-pax");
            copyDir(DIST.resolve("etc"), work.resolve("etc"));
        } catch (Exception | Error e) {
            redis.close();
            throw e;
        }
        Netns netns = ns;
        Path workDir = work;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            redis.close();
            deleteTree(workDir);
            try {
                netns.close();
            } catch (RuntimeException e) {
                // Netns's own shutdown hook may have deleted it first
            }
        }, "pax-exam-fixtures"));

        List<Option> o = new ArrayList<>();
        o.add(cleanCaches(true));
        o.add(systemTimeout(60_000));
        // as NeighsyncdRuntime.start: the description's properties, then the site's
        runtime.frameworkProperties().forEach((k, v) -> o.add(frameworkProperty(k).value(v)));
        o.add(frameworkProperty(Constants.FRAMEWORK_BOOTDELEGATION).value(""));
        o.add(frameworkProperty("felix.fileinstall.dir").value(workDir.resolve("etc").toString()));
        o.add(frameworkProperty("neighsyncd.redis.url").value(redis.unixUrl(0)));
        o.add(frameworkProperty("neighsyncd.database.config").value(""));
        o.add(frameworkProperty("neighsyncd.netns").value(netns.name()));
        o.add(frameworkProperty("neighsyncd.home").value(DIST.toString()));
        // the Web Console as the launcher sets it up: loopback only, a free port, no admin/admin
        String port = Integer.toString(freePort());
        String hash = net.neighsyncd.launcher.NeighsyncdRuntime.hashConsolePassword(
                Long.toHexString(new java.security.SecureRandom().nextLong()));
        o.add(frameworkProperty("neighsyncd.http.host").value("127.0.0.1"));
        o.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        o.add(frameworkProperty("neighsyncd.http.port").value(port));
        o.add(frameworkProperty("org.osgi.service.http.port").value(port));
        o.add(frameworkProperty("neighsyncd.webconsole.password").value(hash));
        o.add(frameworkProperty("felix.webconsole.username").value("admin"));
        o.add(frameworkProperty("felix.webconsole.password").value(hash));
        o.add(frameworkProperty("neighsyncd.config.dir").value(workDir.resolve("etc").toString()));
        // what the test method checks the installed bundles against: location and start level
        o.add(frameworkProperty(DistributionInFelixPaxExamTest.RUNBUNDLES_PROPERTY).value(runtime.bundles().stream()
                .map(b -> b.jar().toUri() + "=" + b.startLevel()).collect(Collectors.joining("\n"))));
        o.addAll(distributionBundles(runtime, Integer.MAX_VALUE));
        o.add(junitBundles());
        return new DistributionProvisioning(o.toArray(new Option[0]));
    }

    Option[] options() {
        return options;
    }

    /** The description's bundles up to {@code maxLevel}, at their start levels; fragments installed, not started. */
    private static List<Option> distributionBundles(RuntimeDescription runtime, int maxLevel) {
        List<Option> out = new ArrayList<>();
        for (RuntimeDescription.RunBundle b : runtime.bundles()) {
            if (b.startLevel() <= maxLevel) {
                out.add(bundle(b.jar().toUri().toString()).startLevel(b.startLevel()).start(!b.fragment()));
            }
        }
        return out;
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
