package net.neighsyncd.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.neighsyncd.api.engine.DropReason;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.health.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.neighsyncd.launcher.NeighsyncdRuntime;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The distribution's own runtime (its bundle folder, its etc/ files copied to a temporary
 * configuration folder) started in this JVM with the launcher's options. The test talks to the
 * bundles through the framework and the typed {@code SyncEngine} service: the system bundle also
 * exports the API packages from this JVM's class path (as the core-api jar exports them, same
 * versions), so the bundles and the test share those classes. The launcher alone exports only the
 * process API that way.
 */
final class Daemon implements AutoCloseable {
    /** The API packages as the core-api jar on the class path exports them. */
    private static final String API_EXPORTS = apiExports();
    private static final Path DIST = Path.of(System.getProperty("neighsyncd.dist", "../distribution/target/neighsyncd"));

    private final NeighsyncdRuntime runtime;
    private final Path workDir;
    private final ByteArrayOutputStream banner;

    private Daemon(NeighsyncdRuntime runtime, Path workDir, ByteArrayOutputStream banner) {
        this.runtime = runtime;
        this.workDir = workDir;
        this.banner = banner;
    }

    /** Starts the runtime with launcher options; {@code --config-dir} and {@code --run-dir} are added. */
    static Daemon start(String... options) throws Exception {
        return start(Map.of(), options);
    }

    /**
     * Like {@link #start(String...)}, with lines appended to the copied {@code etc/<pid>.cfg}
     * files first: {@code settings} maps a PID to its extra {@code key = value} lines.
     */
    static Daemon start(Map<String, List<String>> settings, String... options) throws Exception {
        Path work = Files.createTempDirectory("neighsyncd-it");
        Path etc = work.resolve("etc");
        copyTree(DIST.resolve("etc"), etc);
        for (Map.Entry<String, List<String>> e : DaemonProcess.withFreeGrpcPort(settings).entrySet()) {
            Files.write(etc.resolve(e.getKey() + ".cfg"), e.getValue(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--config-dir", etc.toString(), "--run-dir", work.resolve("run").toString(),
                "--deploy-dir", work.resolve("deploy").toString()));
        if (args.stream().noneMatch(a -> a.startsWith("--http-port"))) {
            // tests never take the fixed default port: a free one, chosen by the launcher
            args.addAll(List.of("--http-port", "0"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NeighsyncdRuntime rt = NeighsyncdRuntime.startSharingApi(DIST.toAbsolutePath(), args.toArray(new String[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), API_EXPORTS);
        return new Daemon(rt, work, out);
    }

    Path configDir() {
        return workDir.resolve("etc");
    }

    /** The folder watched for extension bundles. */
    Path deployDir() {
        return workDir.resolve("deploy");
    }

    /** The run folder: the framework cache, and the generated Web Console password file. */
    Path runDir() {
        return workDir.resolve("run");
    }

    /** The port the Web Console listens on, as the launcher gave it to Felix HTTP. */
    int httpPort() {
        return Integer.parseInt(context().getProperty("neighsyncd.http.port"));
    }

    String banner() {
        return banner.toString(StandardCharsets.UTF_8);
    }

    BundleContext context() {
        return runtime.framework().getBundleContext();
    }

    /** Bundles that are neither active nor fragments, as "name state" lines. */
    List<String> inactiveBundles() {
        List<String> out = new ArrayList<>();
        for (Bundle b : context().getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (b.getState() != Bundle.ACTIVE && !(fragment && b.getState() == Bundle.RESOLVED)) {
                out.add(b.getSymbolicName() + " state=" + b.getState());
            }
        }
        return out;
    }

    /** The service.id of the registered service of that class, or -1 when there is none. */
    long serviceId(String className) {
        ServiceReference<?> ref = context().getServiceReference(className);
        return ref == null ? -1 : (Long) ref.getProperty("service.id");
    }

    /** The installed bundle with that symbolic name, or null. */
    Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /**
     * Updates a configuration through Config Admin, as the Web Console does: its current
     * properties with {@code changes} applied. Reflective, as the test does not share the cm API.
     */
    void updateConfiguration(String pid, Map<String, Object> changes) throws Exception {
        ServiceReference<?> ref = context().getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        Object cm = context().getService(ref);
        Method get = cm.getClass().getMethod("getConfiguration", String.class, String.class);
        get.setAccessible(true);
        Object configuration = get.invoke(cm, pid, null);
        Method props = configuration.getClass().getMethod("getProperties");
        props.setAccessible(true);
        @SuppressWarnings("unchecked")
        java.util.Dictionary<String, Object> current = (java.util.Dictionary<String, Object>) props.invoke(configuration);
        java.util.Hashtable<String, Object> next = new java.util.Hashtable<>();
        if (current != null) {
            for (java.util.Enumeration<String> e = current.keys(); e.hasMoreElements();) {
                String k = e.nextElement();
                next.put(k, current.get(k));
            }
        }
        next.putAll(changes);
        Method update = configuration.getClass().getMethod("update", java.util.Dictionary.class);
        update.setAccessible(true);
        update.invoke(configuration, next);
    }

    /**
     * Creates a factory configuration through Config Admin, bound to no bundle (location
     * {@code ?}), so that every bundle whose components take the factory PID receives it, as a
     * file FileInstall reads would be; returns its PID. Reflective, as {@link #updateConfiguration}.
     */
    String createFactoryConfiguration(String factoryPid, Map<String, Object> properties) throws Exception {
        ServiceReference<?> ref = context().getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        Object cm = context().getService(ref);
        Method create = cm.getClass().getMethod("createFactoryConfiguration", String.class, String.class);
        create.setAccessible(true);
        Object configuration = create.invoke(cm, factoryPid, "?");
        Method update = configuration.getClass().getMethod("update", java.util.Dictionary.class);
        update.setAccessible(true);
        update.invoke(configuration, new java.util.Hashtable<>(properties));
        Method pid = configuration.getClass().getMethod("getPid");
        pid.setAccessible(true);
        return (String) pid.invoke(configuration);
    }

    /** Deletes the configuration {@code pid} through Config Admin (reflective, as above). */
    void deleteConfiguration(String pid) throws Exception {
        ServiceReference<?> ref = context().getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        Object cm = context().getService(ref);
        Method get = cm.getClass().getMethod("getConfiguration", String.class, String.class);
        get.setAccessible(true);
        Object configuration = get.invoke(cm, pid, "?");
        Method delete = configuration.getClass().getMethod("delete");
        delete.setAccessible(true);
        delete.invoke(configuration);
    }

    /** The engine of the pipeline of {@code namespace}, or null while there is none. */
    SyncEngine engine(String namespace) throws Exception {
        var refs = context().getServiceReferences(SyncEngine.class, "(neighsyncd.namespace=" + namespace + ")");
        return refs.isEmpty() ? null : context().getService(refs.iterator().next());
    }

    /** Waits until the engine reports its first full sync written to APPL_DB. */
    void awaitInitialSync(Duration timeout) throws Exception {
        Wait.until("initial sync done", timeout, () -> {
            SyncStatus s = status();
            return s != null && s.initialSyncDone();
        });
    }

    /** The engine's status; null while there is no engine. */
    SyncStatus status() {
        ServiceReference<SyncEngine> ref = context().getServiceReference(SyncEngine.class);
        if (ref == null) {
            return null;
        }
        SyncEngine engine = context().getService(ref);
        try {
            return engine == null ? null : engine.status();
        } finally {
            context().ungetService(ref);
        }
    }

    /** A value of the engine's status, {@code absent} while there is no engine. */
    <T> T status(Function<SyncStatus, T> value, T absent) {
        SyncStatus s = status();
        return s == null ? absent : value.apply(s);
    }

    /** Messages dropped for this reason; 0 while there is no engine. */
    long dropped(DropReason reason) {
        return status(s -> s.counters().dropped(reason), 0L);
    }

    /** The engine's problems as {@code <component>: <reason>}; empty while there is no engine. */
    Set<String> problems() {
        return status(s -> s.problems().stream().map(Problem::toString)
                .collect(Collectors.toCollection(java.util.TreeSet::new)), Set.of());
    }

    /** Asks the engine for an operator resync. */
    void resync() {
        ServiceReference<SyncEngine> ref = context().getServiceReference(SyncEngine.class);
        context().getService(ref).resync();
        context().ungetService(ref);
    }

    private static String apiExports() {
        try {
            return NeighsyncdRuntime.exportsOf(SyncEngine.class);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the core-api exports: " + e, e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            runtime.stop();
        } finally {
            try (Stream<Path> s = Files.walk(workDir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
