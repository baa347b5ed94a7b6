package net.neighsyncd.itests;

import java.io.IOException;
import net.neighsyncd.api.engine.NeighborFilter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The example vendor filter (examples/vendor-filter) put into and taken out of a running
 * {@link Daemon} as an operator would: its jar dropped into or removed from the deploy folder,
 * its {@code com.example.neighsyncd.filter.cfg} written into or removed from the configuration
 * folder. Framework objects are read through the daemon's {@link BundleContext}; services of
 * the runtime's bundles reflectively, so the test classpath never meets their packages.
 */
final class ExampleFilterBundle {
    static final String SYMBOLIC_NAME = "com.example.neighsyncd.filter";
    static final String PID = "com.example.neighsyncd.filter";
    /** Built by examples/vendor-filter; the itests pom passes its path. */
    static final Path JAR = Path.of(System.getProperty("neighsyncd.example.filter.jar",
            "../examples/vendor-filter/target/neighsyncd-example-vendor-filter-0.1.0-SNAPSHOT.jar"));

    private final Daemon daemon;
    private final Duration wait;

    ExampleFilterBundle(Daemon daemon, Duration wait) {
        this.daemon = daemon;
        this.wait = wait;
    }

    /** Copies the jar into the deploy folder in one rename, so FileInstall never sees half a jar. */
    void deploy() throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("the example filter bundle is not built: " + JAR.toAbsolutePath());
        }
        Path tmp = Files.createTempFile(daemon.deployDir().getParent(), "vendor-filter", ".part");
        Files.copy(JAR, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, deployedJar(), StandardCopyOption.ATOMIC_MOVE);
    }

    void undeploy() throws IOException {
        Files.deleteIfExists(deployedJar());
    }

    /** Writes {@code etc/com.example.neighsyncd.filter.cfg} (in one rename) with these lines. */
    void writeConfig(String... lines) throws IOException {
        Path tmp = Files.createTempFile(daemon.configDir().getParent(), "vendor-filter", ".part");
        Files.write(tmp, List.of(lines), StandardCharsets.UTF_8);
        Files.move(tmp, configFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void deleteConfig() throws IOException {
        Files.deleteIfExists(configFile());
    }

    /** The installed bundle, or null. */
    Bundle bundle() {
        return daemon.bundle(SYMBOLIC_NAME);
    }

    /** Waits until the bundle is active and the engine has bound its filter service. */
    Bundle awaitActiveAndBound() throws Exception {
        Wait.until(SYMBOLIC_NAME + " active and its filter bound by the engine", wait, () -> {
            Bundle b = bundle();
            return b != null && b.getState() == Bundle.ACTIVE && boundByEngine(filterService());
        });
        return bundle();
    }

    /** Waits until no bundle of the example is installed. */
    void awaitUninstalled() throws Exception {
        Wait.until(SYMBOLIC_NAME + " uninstalled", wait, () -> bundle() == null);
    }

    /**
     * Waits until {@code installed} is gone from the framework and in state UNINSTALLED: Felix
     * drops it from the bundle list before it sets the state, so both are awaited.
     */
    void awaitUninstalled(Bundle installed) throws Exception {
        Wait.until(SYMBOLIC_NAME + " uninstalled", wait,
                () -> bundle() == null && installed.getState() == Bundle.UNINSTALLED);
    }

    /** The filter service the bundle registered, or null. */
    ServiceReference<?> filterService() throws Exception {
        ServiceReference<?>[] refs = daemon.context().getServiceReferences(NeighborFilter.class.getName(), null);
        if (refs != null) {
            for (ServiceReference<?> r : refs) {
                if (SYMBOLIC_NAME.equals(r.getBundle().getSymbolicName())) {
                    return r;
                }
            }
        }
        return null;
    }

    /** Waits until the filter service carries {@code interfacePattern} = {@code pattern} (DS applied the configuration). */
    void awaitServicePattern(String pattern) throws Exception {
        Wait.until("filter service with interfacePattern=" + pattern, wait, () -> {
            ServiceReference<?> r = filterService();
            return r != null && pattern.equals(r.getProperty("interfacePattern")) && boundByEngine(r);
        });
    }

    /** Waits until Config Admin holds the PID with {@code interfacePattern} = {@code pattern} (FileInstall read the file). */
    void awaitConfigured(String pattern) throws Exception {
        Wait.until("configuration " + PID + " with interfacePattern=" + pattern, wait,
                () -> pattern.equals(configuredPattern()));
    }

    /** Waits until Config Admin no longer holds the PID. */
    void awaitUnconfigured() throws Exception {
        Wait.until("configuration " + PID + " deleted", wait, () -> configuredPattern() == null);
    }

    /** The {@code service.id} of the engine's SyncEngine service: the same while the core is not restarted. */
    long engineServiceId() {
        long id = daemon.serviceId(net.neighsyncd.api.engine.SyncEngine.class.getName());
        if (id < 0) {
            throw new AssertionError("no SyncEngine service");
        }
        return id;
    }

    private Path deployedJar() {
        return daemon.deployDir().resolve(JAR.getFileName());
    }

    private Path configFile() {
        return daemon.configDir().resolve(PID + ".cfg");
    }

    private static boolean boundByEngine(ServiceReference<?> ref) {
        Bundle[] users = ref == null ? null : ref.getUsingBundles();
        if (users != null) {
            for (Bundle u : users) {
                if ("net.neighsyncd.core".equals(u.getSymbolicName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code interfacePattern} of the PID's configuration in Config Admin; null when there is none. */
    private Object configuredPattern() throws Exception {
        BundleContext ctx = daemon.context();
        ServiceReference<?> ref = ctx.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        if (ref == null) {
            return null;
        }
        Object cm = ctx.getService(ref);
        try {
            Class<?> cmType = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
            Class<?> configType = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
            Method list = cmType.getMethod("listConfigurations", String.class);
            Object[] found = (Object[]) list.invoke(cm, "(service.pid=" + PID + ")");
            if (found == null || found.length == 0) {
                return null;
            }
            Dictionary<?, ?> props = (Dictionary<?, ?>) configType.getMethod("getProperties").invoke(found[0]);
            return props == null ? null : props.get("interfacePattern");
        } finally {
            ctx.ungetService(ref);
        }
    }
}
