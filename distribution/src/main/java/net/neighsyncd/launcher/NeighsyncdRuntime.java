package net.neighsyncd.launcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * The Felix runtime of one installed neighsyncd: the bundles under {@code bundle/<start level>/},
 * the configuration folder watched by FileInstall, and a redis-server of its own when no database
 * is configured. {@link #stop()} stops the framework, so every component is deactivated and
 * pending writes are flushed before the JVM exits.
 */
public final class NeighsyncdRuntime {
    /** Where SONiC keeps its database configuration on a switch. */
    public static final Path SONIC_DATABASE_CONFIG = Path.of("/var/run/redis/sonic-db/database_config.json");

    private final Framework framework;
    private final EmbeddedRedis redis;
    private final String redisUrl;

    private NeighsyncdRuntime(Framework framework, EmbeddedRedis redis, String redisUrl) {
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
        return start(home, LaunchOptions.parse(args), out);
    }

    static NeighsyncdRuntime start(Path home, LaunchOptions o, PrintStream out) throws Exception {
        Path configDir = (o.configDir != null ? o.configDir : home.resolve("etc")).toAbsolutePath();
        Path runDir = (o.runDir != null ? o.runDir : home.resolve("run")).toAbsolutePath();
        Files.createDirectories(runDir);
        if (!Files.isDirectory(configDir)) {
            throw new IOException("configuration folder " + configDir + " does not exist");
        }

        EmbeddedRedis redis = null;
        String redisUrl = o.redisUrl != null ? o.redisUrl : "";
        String databaseConfig = o.databaseConfig != null ? o.databaseConfig.toAbsolutePath().toString() : "";
        if (o.redisUrl == null && o.databaseConfig == null) {
            if (Files.exists(SONIC_DATABASE_CONFIG)) {
                databaseConfig = SONIC_DATABASE_CONFIG.toString();
            } else {
                redis = EmbeddedRedis.start(runDir);
                redisUrl = "unix://" + redis.socket();
            }
        }

        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, runDir.resolve("felix-cache").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1");
        Path deployDir = (o.deployDir != null ? o.deployDir : home.resolve("deploy")).toAbsolutePath();
        Files.createDirectories(deployDir);
        // one watcher for both: configuration files, and extension bundles dropped in or removed
        props.put("felix.fileinstall.dir", configDir + "," + deployDir);
        props.put("felix.fileinstall.start.level", "3");
        props.put("felix.fileinstall.poll", "500");
        props.put("felix.fileinstall.noInitialDelay", "true");
        // the files are the source of truth: never rewrite them from Config Admin
        props.put("felix.fileinstall.enableConfigSave", "false");
        props.put("felix.fileinstall.log.level", "2");
        props.put("ds.loglevel", "warn");
        props.put("neighsyncd.redis.url", redisUrl);
        props.put("neighsyncd.database.config", databaseConfig);
        props.put("neighsyncd.netns", o.netns);
        props.put("neighsyncd.home", home.toAbsolutePath().toString());

        Framework fw = new FrameworkFactory().newFramework(props);
        try {
            fw.init();
            int top = installBundles(fw.getBundleContext(), home.resolve("bundle"));
            fw.start();
            fw.adapt(FrameworkStartLevel.class).setStartLevel(top);
        } catch (Exception | Error e) {
            stopQuietly(fw);
            if (redis != null) {
                redis.close();
            }
            throw e;
        }

        NeighsyncdRuntime rt = new NeighsyncdRuntime(fw, redis, redisUrl);
        out.println("neighsyncd: watching the neighbor table of "
                + (o.netns.isEmpty() ? "this host" : "network namespace " + o.netns));
        if (redis != null) {
            out.println("neighsyncd: no database configured; started redis-server on " + redis.socket());
            out.println("neighsyncd: look with: redis-cli -s " + redis.socket() + " KEYS '*NEIGH_TABLE*'");
        } else if (!redisUrl.isEmpty()) {
            out.println("neighsyncd: writing APPL_DB at " + redisUrl);
        } else {
            out.println("neighsyncd: writing APPL_DB named in " + databaseConfig);
        }
        out.println("neighsyncd: configuration in " + configDir + ", extension bundles in " + deployDir
                + "; stop with SIGTERM or Ctrl-C");
        return rt;
    }

    /** The framework, for in-framework tests. */
    public Framework framework() {
        return framework;
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

    /** Blocks until the framework has stopped. */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    private static int installBundles(BundleContext ctx, Path bundleDir) throws IOException, BundleException {
        if (!Files.isDirectory(bundleDir)) {
            throw new IOException("bundle folder " + bundleDir + " does not exist");
        }
        List<Path> levels;
        try (Stream<Path> s = Files.list(bundleDir)) {
            levels = s.filter(p -> p.getFileName().toString().matches("\\d+")).sorted().toList();
        }
        int top = 1;
        List<Bundle> toStart = new ArrayList<>();
        for (Path level : levels) {
            int n = Integer.parseInt(level.getFileName().toString());
            top = Math.max(top, n);
            List<Path> jars;
            try (Stream<Path> s = Files.list(level)) {
                jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            }
            for (Path jar : jars) {
                Bundle b = ctx.installBundle(jar.toUri().toString());
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.adapt(BundleStartLevel.class).setStartLevel(n);
                    toStart.add(b);
                }
            }
        }
        for (Bundle b : toStart) {
            b.start(Bundle.START_ACTIVATION_POLICY);
        }
        return top;
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
