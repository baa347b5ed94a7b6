package net.neighsyncd.launcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import net.neighsyncd.api.process.ProcessControl;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * The Felix runtime of one installed neighsyncd: the framework properties and the bundles (with
 * their start levels) of {@code lib/neighsyncd.bndrun} ({@link RuntimeDescription}), the
 * configuration folder watched by FileInstall, and a redis-server of its own when no database is
 * configured. {@link #stop()} stops the framework, so every component is deactivated and
 * pending writes are flushed before the JVM exits.
 */
public final class NeighsyncdRuntime {
    /** Where SONiC keeps its database configuration on a switch. */
    public static final Path SONIC_DATABASE_CONFIG = Path.of("/var/run/redis/sonic-db/database_config.json");
    /** SONiC's list of every namespace's database_config.json on a multi-ASIC switch. */
    static final Path SONIC_DATABASE_GLOBAL = Path.of("/var/run/redis/sonic-db/database_global.json");

    private final Framework framework;
    private final EmbeddedRedis redis;
    private final String redisUrl;

    private final LauncherProcessControl process;
    private final InetSocketAddress http;

    private NeighsyncdRuntime(Framework framework, EmbeddedRedis redis, String redisUrl, LauncherProcessControl process,
            InetSocketAddress http) {
        this.process = process;
        this.http = http;
        this.framework = framework;
        this.redis = redis;
        this.redisUrl = redisUrl;
    }

    /**
     * Starts the runtime of the installation at {@code home} with the given command-line
     * options (see {@code --help}); {@code out} receives the lines that tell the operator where
     * the daemon writes.
     */
    public static NeighsyncdRuntime start(Path home, String[] args, PrintStream out) throws Exception {
        return start(home, LaunchOptions.parse(args), out, "", rt -> { });
    }

    /**
     * Like {@link #start(Path, String[], PrintStream)}, for a caller in this JVM that uses the
     * daemon's services typed: the system bundle also exports {@code apiExports} (the API packages
     * as the core-api jar on the class path exports them; they must include the process API), so
     * that the caller and the bundles share those classes.
     */
    public static NeighsyncdRuntime startSharingApi(Path home, String[] args, PrintStream out, String apiExports)
            throws Exception {
        return start(home, LaunchOptions.parse(args), out, apiExports, rt -> { });
    }

    /**
     * Like {@link #start(Path, String[], PrintStream)}, with the options parsed; {@code created}
     * receives the runtime as soon as there is something to stop (the framework made, the embedded
     * Redis started), before the bundles start: a stop asked for while the start levels rise then
     * stops it cleanly.
     */
    static NeighsyncdRuntime start(Path home, LaunchOptions o, PrintStream out, Consumer<NeighsyncdRuntime> created)
            throws Exception {
        return start(home, o, out, "", created);
    }

    private static NeighsyncdRuntime start(Path home, LaunchOptions o, PrintStream out, String apiExports,
            Consumer<NeighsyncdRuntime> created) throws Exception {
        // folders through their links, as the banner names them: in the Debian package the
        // installation's etc/, run/ and deploy/ are links to /etc/neighsyncd and /var/lib/neighsyncd
        Path configDir = (o.configDir != null ? o.configDir : home.resolve("etc")).toAbsolutePath();
        Path runDir = (o.runDir != null ? o.runDir : home.resolve("run")).toAbsolutePath();
        Files.createDirectories(runDir);
        runDir = runDir.toRealPath();
        if (!Files.isDirectory(configDir)) {
            throw new IOException("configuration folder " + configDir + " does not exist");
        }
        configDir = configDir.toRealPath();
        RuntimeDescription runtime = RuntimeDescription.read(home);
        // logback (started at level 1) reads its console format and first levels from here; the
        // levels then follow etc/net.neighsyncd.logging.cfg (docs/logging.md)
        Path logback = configDir.resolve("logback.xml");
        if (Files.isRegularFile(logback)) {
            System.setProperty("logback.configurationFile", logback.toString());
        }

        // the console's address and login are settled before anything starts: no moment with
        // Felix HTTP on every interface or the Web Console's built-in admin/admin
        int httpPort = listenPort(o.httpHost, o.httpPort, out);
        Path passwordFile = (o.webconsolePasswordFile != null ? o.webconsolePasswordFile
                : runDir.resolve("webconsole.password")).toAbsolutePath();
        WebConsoleAccess.Login login = WebConsoleAccess.resolve(configDir, passwordFile, out);

        EmbeddedRedis redis = null;
        String redisUrl = o.redisUrl != null ? o.redisUrl : "";
        String databaseConfig = o.databaseConfig != null ? o.databaseConfig.toAbsolutePath().toString() : "";
        if (o.redisUrl == null && o.databaseConfig == null) {
            // a training run never writes into a switch's databases unless told to
            if (sonicHost() && !o.trainingRun) {
                // SONiC's own files, found by the sink for the pipeline's namespace (the host's
                // database_config.json, or the one database_global.json lists for a namespace):
                // nothing is written into the shared configuration, so that a pipeline of another
                // namespace never inherits the host's databases
                databaseConfig = "";
            } else {
                redis = EmbeddedRedis.start(runDir);
                redisUrl = "unix://" + redis.socket();
            }
        }

        // the properties of every start (FileInstall, start levels, a fresh cache) come from the
        // runtime description; these are the site's and the command line's
        Map<String, String> props = new HashMap<>(runtime.frameworkProperties());
        props.put(Constants.FRAMEWORK_STORAGE, runDir.resolve("felix-cache").toString());
        Path deployDir = (o.deployDir != null ? o.deployDir : home.resolve("deploy")).toAbsolutePath();
        Files.createDirectories(deployDir);
        deployDir = deployDir.toRealPath();
        // one watcher for both: configuration files, and extension bundles dropped in or removed
        props.put("felix.fileinstall.dir", configDir + "," + deployDir);
        props.put("neighsyncd.redis.url", redisUrl);
        props.put("neighsyncd.database.config", databaseConfig);
        props.put("neighsyncd.netns", o.netns);
        props.put("neighsyncd.home", home.toAbsolutePath().toString());
        props.put("neighsyncd.config.dir", configDir.toString());
        // etc/org.apache.felix.http.cfg and etc/...OsgiManager.cfg substitute these; the same values
        // as Felix HTTP's and the Web Console's framework-property defaults hold until they are applied
        props.put("neighsyncd.http.host", o.httpHost);
        props.put("neighsyncd.http.port", Integer.toString(httpPort));
        props.put("org.apache.felix.http.host", o.httpHost);
        props.put("org.osgi.service.http.port", Integer.toString(httpPort));
        // with --tls-cert/--tls-key the same port serves HTTPS, and nothing serves plain HTTP
        TlsKeyStore.Written tls = o.tlsCert == null ? null
                : TlsKeyStore.write(o.tlsCert, o.tlsKey, runDir.resolve("tls").resolve("neighsyncd.p12"),
                        new java.security.SecureRandom());
        Map<String, String> https = Map.of(
                "org.apache.felix.http.enable", tls == null ? "true" : "false",
                "org.apache.felix.https.enable", tls == null ? "false" : "true",
                "org.osgi.service.http.port.secure", Integer.toString(httpPort),
                "org.apache.felix.https.keystore", tls == null ? "" : tls.path().toString(),
                "org.apache.felix.https.keystore.password", tls == null ? "" : tls.password(),
                "org.apache.felix.https.keystore.key.password", tls == null ? "" : tls.password());
        props.putAll(https);
        props.put("neighsyncd.http.enable", https.get("org.apache.felix.http.enable"));
        props.put("neighsyncd.https.enable", https.get("org.apache.felix.https.enable"));
        props.put("neighsyncd.https.keystore", https.get("org.apache.felix.https.keystore"));
        props.put("neighsyncd.https.keystore.password", https.get("org.apache.felix.https.keystore.password"));
        props.put("neighsyncd.webconsole.password", login.passwordHash());
        props.put("felix.webconsole.username", login.user());
        props.put("felix.webconsole.password", login.passwordHash());

        // the process control service is the system bundle's: its interface comes from the launcher's class path
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports.isEmpty() ? PROCESS_API_EXPORT : apiExports);
        Framework fw = new FrameworkFactory().newFramework(props);
        LauncherProcessControl process = new LauncherProcessControl(fw);
        NeighsyncdRuntime rt = new NeighsyncdRuntime(fw, redis, redisUrl, process,
                InetSocketAddress.createUnresolved(o.httpHost, httpPort));
        created.accept(rt);
        try {
            fw.init();
            fw.getBundleContext().registerService(ProcessControl.class, process, null);
            installBundles(fw.getBundleContext(), runtime);
            int top = runtime.topStartLevel();
            fw.start();
            // the start level rises on the framework's own thread: return once every bundle had its
            // start, or the framework stopped meanwhile (a stuck activator delays the banner, never
            // the daemon, by at most a minute)
            CountDownLatch started = new CountDownLatch(1);
            fw.adapt(FrameworkStartLevel.class).setStartLevel(top, e -> started.countDown());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!started.await(100, TimeUnit.MILLISECONDS) && fw.getState() == Bundle.ACTIVE
                    && System.nanoTime() < deadline) {
                // waiting for the start level
            }
        } catch (Exception | Error e) {
            stopQuietly(fw);
            if (redis != null) {
                redis.close();
            }
            throw e;
        }

        out.println("neighsyncd: watching the neighbor table of "
                + (o.netns.isEmpty() ? "this host" : "network namespace " + o.netns));
        if (redis != null) {
            out.println("neighsyncd: no database configured; started redis-server on " + redis.socket());
            out.println("neighsyncd: look with: redis-cli -s " + redis.socket() + " KEYS '*NEIGH_TABLE*'");
        } else if (!redisUrl.isEmpty()) {
            out.println("neighsyncd: writing APPL_DB at " + redisUrl);
        } else if (databaseConfig.isEmpty() && !o.netns.isEmpty()) {
            out.println("neighsyncd: writing the APPL_DB that " + SONIC_DATABASE_GLOBAL + " names for " + o.netns);
        } else if (databaseConfig.isEmpty()) {
            out.println("neighsyncd: writing APPL_DB named in " + SONIC_DATABASE_CONFIG);
        } else {
            out.println("neighsyncd: writing APPL_DB named in " + databaseConfig);
        }
        out.println("neighsyncd: Web Console at " + consoleUrl(configDir, o.httpHost, httpPort, o.tlsCert != null)
                + " (user "
                + login.user() + ", " + login.where() + ")");
        out.println("neighsyncd: configuration in " + configDir + ", extension bundles in " + deployDir
                + "; stop with SIGTERM or Ctrl-C");
        return rt;
    }

    /** Whether this machine has SONiC's database files (one namespace's, or a multi-ASIC switch's). */
    private static boolean sonicHost() {
        return Files.exists(SONIC_DATABASE_CONFIG) || Files.exists(SONIC_DATABASE_GLOBAL);
    }

    /** The Web Console's hash of {@code password}, as the launcher puts it into the framework properties. */
    public static String hashConsolePassword(String password) {
        return WebConsoleAccess.hash(password);
    }

    /** The framework, for in-framework tests. */
    public Framework framework() {
        return framework;
    }

    /** Where the launcher told Felix HTTP to listen (etc/org.apache.felix.http.cfg may say otherwise). */
    public InetSocketAddress httpAddress() {
        return http;
    }

    /** The Redis URL the daemon writes to; empty when it comes from a database_config.json. */
    public String redisUrl() {
        return redisUrl;
    }

    /** Stops every bundle (components deactivate, pending writes flush), then the own Redis. */
    public void stop() throws Exception {
        if (framework.getState() == Bundle.ACTIVE || framework.getState() == Bundle.STARTING) {
            framework.stop();
        }
        framework.waitForStop(120_000);
        if (redis != null) {
            redis.close();
        }
    }

    /** The status a bundle asked the process to exit with, 0 when none did. */
    public int requestedExitStatus() {
        return process.exitStatus();
    }

    /**
     * The system bundle's export of the process API, {@code net.neighsyncd.api.process} at the
     * version the core-api jar on the class path exports it (its manifest is the one place the
     * version is written).
     */
    static final String PROCESS_API_EXPORT = processApiExport();

    private static String processApiExport() {
        String pkg = ProcessControl.class.getPackageName();
        try {
            String exports = exportsOf(ProcessControl.class);
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile(java.util.regex.Pattern.quote(pkg) + ";version=\"([^\"]+)\"").matcher(exports);
            if (m.find()) {
                return pkg + ";version=" + m.group(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the version of " + pkg + " from the core-api jar: " + e, e);
        }
        throw new IllegalStateException("the core-api jar on the class path does not export " + pkg);
    }

    /** The Export-Package header of the jar (or bnd-processed classes folder) a class comes from. */
    public static String exportsOf(Class<?> c) throws Exception {
        try (java.io.InputStream in = manifestOf(c).openStream()) {
            String exports = new java.util.jar.Manifest(in).getMainAttributes().getValue("Export-Package");
            if (exports == null) {
                throw new IllegalStateException("the jar of " + c.getName() + " exports nothing");
            }
            return exports;
        }
    }

    /** The manifest of the jar (or bnd-processed classes folder) a class comes from. */
    private static java.net.URL manifestOf(Class<?> c) throws Exception {
        java.net.URI where = c.getProtectionDomain().getCodeSource().getLocation().toURI();
        return where.getPath().endsWith(".jar") ? new java.net.URL("jar:" + where + "!/META-INF/MANIFEST.MF")
                : where.resolve("META-INF/MANIFEST.MF").toURL();
    }

    /** Blocks until the framework has stopped. */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /**
     * The port to give Felix HTTP: {@code port}, or a free one when it is 0. A port already taken is
     * reported and kept (the daemon runs on, without its console).
     */
    static int listenPort(String host, int port, PrintStream out) throws IOException {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IOException("--http-host " + host + ": unknown host");
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port));
            return s.getLocalPort();
        } catch (IOException e) {
            if (port == 0) {
                throw new IOException("no free port on " + host + " for the Web Console: " + e.getMessage(), e);
            }
            out.println("neighsyncd: warning: cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): the Web Console will not be reachable; choose another --http-port");
            return port;
        }
    }

    /** The console's URL; the host and port as etc/org.apache.felix.http.cfg sets them when it does. */
    static String consoleUrl(Path configDir, String host, int port, boolean tls) {
        Properties http = new Properties();
        Path cfg = configDir.resolve("org.apache.felix.http.cfg");
        if (Files.isRegularFile(cfg)) {
            try (java.io.Reader r = Files.newBufferedReader(cfg, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                http.load(r);
            } catch (IOException e) {
                // Felix HTTP reports what it cannot read; the URL is only a hint
            }
        }
        String h = http.getProperty("org.apache.felix.http.host", host).strip();
        String p = http.getProperty("org.osgi.service.http.port", Integer.toString(port)).strip();
        if (h.isEmpty() || h.contains("${")) {
            h = host;
        }
        if (p.isEmpty() || p.contains("${")) {
            p = Integer.toString(port);
        }
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "<any address of this host>";
        } else if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return (tls ? "https://" : "http://") + h + ":" + p + "/system/console";
    }

    /**
     * Installs the description's bundles in place: a {@code reference:} location, which Felix reads
     * from bundle/ instead of copying each jar into its cache at every start (the cache is fresh
     * each start, so the copies bought nothing and cost start-up time).
     */
    private static void installBundles(BundleContext ctx, RuntimeDescription runtime) throws BundleException {
        List<Bundle> toStart = new ArrayList<>();
        for (RuntimeDescription.RunBundle rb : runtime.bundles()) {
            Bundle b = ctx.installBundle("reference:" + rb.jar().toUri());
            if (!rb.fragment()) {
                b.adapt(BundleStartLevel.class).setStartLevel(rb.startLevel());
                toStart.add(b);
            }
        }
        for (Bundle b : toStart) {
            b.start(Bundle.START_ACTIVATION_POLICY);
        }
    }

    private static void stopQuietly(Framework fw) {
        try {
            fw.stop();
            fw.waitForStop(10_000);
        } catch (Exception e) {
            // already failing; the original error is what matters
        }
    }

    static Path homeOf(Class<?> c) {
        String prop = System.getProperty("neighsyncd.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        File jar = new File(c.getProtectionDomain().getCodeSource().getLocation().getPath());
        return jar.toPath().toAbsolutePath().getParent().getParent();
    }
}
