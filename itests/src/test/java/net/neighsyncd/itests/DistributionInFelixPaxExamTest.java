package net.neighsyncd.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.AssumptionViolatedException;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The distribution's bundle set booted by Pax Exam's native Felix container: every bundle
 * active, and a neighbor added in a real network namespace arrives in a real redis-server.
 *
 * <p>Two sides, one class. The {@link Configuration} method runs in the test JVM (the "driver"):
 * {@link DistributionProvisioning} starts redis-server and the namespace there and provisions
 * the runtime the installation's {@code lib/neighsyncd.bndrun} describes, as the launcher reads it.
 * The test method runs inside the framework, loaded
 * from Pax Exam's probe bundle, so it sees none of the driver's objects: it reads the Redis URL
 * and the namespace from the framework properties the daemon itself uses, and talks to Redis and
 * the kernel with the JDK only ({@link RespClient}, {@code ip}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionInFelixPaxExamTest {
    private static final long WAIT_MILLIS = 15_000;

    /**
     * Set in the test JVM, when the test cannot run there, by Pax Exam as it starts the container
     * (from a {@code systemProperty} option of {@link #distribution()}): after the runner has
     * created this class for the configuration, before the driver creates it for the test.
     */
    static final String SKIP_PROPERTY = "neighsyncd.itests.paxexam.skip";

    /**
     * Framework property from the driver: the runtime description's bundles, one
     * {@code location=start level} a line, as the launcher would install them.
     */
    static final String RUNBUNDLES_PROPERTY = "neighsyncd.itests.runbundles";

    /**
     * Pax Exam runs neither {@code @Before} nor {@code @BeforeClass} in the driver (only in the
     * framework, where a failed assumption is reported as a pass), and an exception from a
     * {@code @Configuration} method is a failure. The one piece of this class the driver runs
     * for each test is this constructor: a failed assumption here is a skipped test.
     */
    public DistributionInFelixPaxExamTest() {
        String skip = System.getProperty(SKIP_PROPERTY);
        if (skip != null) {
            throw new AssumptionViolatedException(skip);
        }
    }

    @Configuration
    public Option[] distribution() throws Exception {
        return DistributionProvisioning.get().options();
    }

    @Test(timeout = 120_000)
    public void distributionBundlesBootInFelixAllActiveAndANamespaceNeighborArrivesInRealRedis() throws Exception {
        BundleContext ctx = FrameworkUtil.getBundle(getClass()).getBundleContext();

        // given: exactly the runtime description's bundles, at its start levels, and every jar of
        // bundle/ among them
        Path bundleDir = Path.of(ctx.getProperty("neighsyncd.home")).resolve("bundle");
        Map<String, Integer> described = described(ctx.getProperty(RUNBUNDLES_PROPERTY));
        assertEquals(described, installedFrom(ctx, bundleDir));
        assertEquals(distributionJars(bundleDir), described.keySet());
        assertEquals(Set.of(1, 2, 3, 4), Set.copyOf(described.values()));

        // then: every bundle active (fragments resolved), Pax Exam's own ones and the probe included
        List<String> inactive = new ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (b.getState() != Bundle.ACTIVE && !(fragment && b.getState() == Bundle.RESOLVED)) {
                inactive.add(b.getSymbolicName() + " state=" + b.getState());
            }
        }
        assertEquals(List.of(), inactive);

        // and: the production logging wiring, not Pax Logging's
        for (Bundle b : ctx.getBundles()) {
            String bsn = String.valueOf(b.getSymbolicName());
            assertTrue("no Pax Logging in the framework: " + bsn, !bsn.startsWith("org.ops4j.pax.logging"));
            if (bsn.startsWith("net.neighsyncd.")) {
                for (BundleWire w : b.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package")) {
                    if (String.valueOf(w.getCapability().getAttributes().get("osgi.wiring.package")).startsWith("org.slf4j")) {
                        assertEquals(bsn + " gets org.slf4j from", "slf4j.api",
                                w.getProvider().getBundle().getSymbolicName());
                    }
                }
            }
        }
        Class<?> loggerFactory = bundle(ctx, "slf4j.api").loadClass("org.slf4j.LoggerFactory");
        assertEquals("SLF4J provider found through SPI Fly", "ch.qos.logback.classic.LoggerContext",
                loggerFactory.getMethod("getILoggerFactory").invoke(null).getClass().getName());

        // and: the sync engine is registered
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (ctx.getServiceReference("net.neighsyncd.api.engine.SyncEngine") == null && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertNotNull("service net.neighsyncd.api.engine.SyncEngine", ctx.getServiceReference("net.neighsyncd.api.engine.SyncEngine"));

        // when: a neighbor is added in the watched namespace
        String ns = ctx.getProperty("neighsyncd.netns");
        ip("-n", ns, "neigh", "replace", "10.8.0.1", "lladdr", "02:00:00:00:08:01", "dev", "Ethernet0", "nud",
                "permanent");

        // then: it is in APPL_DB as a ProducerStateTable set
        try (RespClient redis = RespClient.connect(ctx.getProperty("neighsyncd.redis.url"))) {
            end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
            while (!Long.valueOf(1).equals(redis.call("SISMEMBER", "NEIGH_TABLE_KEY_SET", "Ethernet0:10.8.0.1"))) {
                assertTrue("Ethernet0:10.8.0.1 in NEIGH_TABLE_KEY_SET within " + WAIT_MILLIS + " ms",
                        System.nanoTime() < end);
                Thread.sleep(20);
            }
            assertEquals(Map.of("neigh", "02:00:00:00:08:01", "family", "IPv4"),
                    RespClient.asMap(redis.call("HGETALL", "_NEIGH_TABLE:Ethernet0:10.8.0.1")));
        }
    }

    /** The file: location of every jar of {@code bundle/}. */
    private static Set<String> distributionJars(Path bundleDir) throws Exception {
        Set<String> jars = new TreeSet<>();
        try (Stream<Path> s = Files.list(bundleDir)) {
            s.filter(p -> p.toString().endsWith(".jar")).forEach(p -> jars.add(p.toUri().toString()));
        }
        assertTrue("jars in " + bundleDir, jars.size() > 0);
        return jars;
    }

    /** Location to start level, from {@link #RUNBUNDLES_PROPERTY}. */
    private static Map<String, Integer> described(String property) {
        assertNotNull(RUNBUNDLES_PROPERTY, property);
        Map<String, Integer> out = new TreeMap<>();
        for (String line : property.split("\n")) {
            int eq = line.lastIndexOf('=');
            out.put(line.substring(0, eq), Integer.parseInt(line.substring(eq + 1)));
        }
        return out;
    }

    /** Location to start level of the installed bundles that come from {@code bundleDir}. */
    private static Map<String, Integer> installedFrom(BundleContext ctx, Path bundleDir) {
        String prefix = bundleDir.toUri().toString();
        Map<String, Integer> installed = new TreeMap<>();
        for (Bundle b : ctx.getBundles()) {
            if (b.getLocation().startsWith(prefix)) {
                installed.put(b.getLocation(), b.adapt(BundleStartLevel.class).getStartLevel());
            }
        }
        return installed;
    }

    private static Bundle bundle(BundleContext ctx, String bsn) {
        for (Bundle b : ctx.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    private static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue("ip timed out", p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(String.join(" ", cmd) + ": " + out, 0, p.exitValue());
    }
}
