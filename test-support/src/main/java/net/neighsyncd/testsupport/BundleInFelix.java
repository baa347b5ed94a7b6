package net.neighsyncd.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * A module's bundle as bnd generated it (target/classes, with its manifest, installed by
 * reference) in a Felix framework with the SCR and metatype bundles the distribution ships, so
 * that tests read its descriptors as the runtime does: through {@link ServiceComponentRuntime}
 * and {@link MetaTypeService}. The packages the bundles import (the neighsyncd API, SLF4J, the
 * OSGi service APIs, and what the caller names) are exported by the system bundle from this class
 * path, as each jar's own manifest exports them, so the test and the bundles share those classes.
 * The Felix framework, SCR and metatype jars are optional dependencies of this module: a module
 * that uses this class declares them (test scope).
 */
public final class BundleInFelix implements AutoCloseable {
    /** Jars (found by a class of theirs) whose Export-Package the system bundle takes over. */
    private static final List<String> CLASS_PATH_EXPORTS = List.of(
            "net.neighsyncd.api.neighbor.NeighborKey",
            "org.slf4j.LoggerFactory",
            "org.osgi.service.metatype.MetaTypeService",
            "org.osgi.service.component.runtime.ServiceComponentRuntime",
            "org.osgi.util.promise.Promise",
            "org.osgi.util.function.Function",
            "org.osgi.service.log.LogService");
    /** The implementation bundles, installed from their jars (found by a class of theirs). */
    private static final List<String> RUNTIME_BUNDLES = List.of(
            "org.apache.felix.metatype.MetaDataReader",
            "org.apache.felix.scr.info.ScrInfo");

    private final Framework framework;
    private final Path storage;
    private final Bundle bundle;

    private BundleInFelix(Framework framework, Path storage, Bundle bundle) {
        this.framework = framework;
        this.storage = storage;
        this.bundle = bundle;
    }

    /**
     * Starts the framework, the runtime bundles, and the bundle whose classes include
     * {@code ofTheBundle}; the jars of {@code moreExports} (a class of each, e.g. JNA's
     * {@code com.sun.jna.Native}) are exported from the class path too.
     */
    public static BundleInFelix start(Class<?> ofTheBundle, String... moreExports) throws Exception {
        List<String> exports = new ArrayList<>();
        List<String> exporters = new ArrayList<>(CLASS_PATH_EXPORTS);
        exporters.addAll(List.of(moreExports));
        for (String className : exporters) {
            String header = manifest(location(Class.forName(className))).getMainAttributes().getValue("Export-Package");
            if (header == null) {
                throw new IllegalStateException("the jar of " + className + " exports nothing");
            }
            exports.add(header.trim());
        }
        Path storage = Files.createTempDirectory("neighsyncd-felix");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",", exports));
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.start();
        try {
            BundleContext context = framework.getBundleContext();
            List<Bundle> started = new ArrayList<>();
            for (String className : RUNTIME_BUNDLES) {
                started.add(install(context, location(Class.forName(className))));
            }
            Bundle bundle = install(context, location(ofTheBundle));
            started.add(bundle);
            for (Bundle b : started) {
                b.start();
            }
            return new BundleInFelix(framework, storage, bundle);
        } catch (Exception | Error e) {
            stop(framework, storage);
            throw e;
        }
    }

    /** The bundle under test, active. */
    public Bundle bundle() {
        return bundle;
    }

    /** The component of that name in the bundle under test, as SCR describes it; fails when there is none. */
    public ComponentDescriptionDTO component(String name) {
        ComponentDescriptionDTO dto = service(ServiceComponentRuntime.class).getComponentDescriptionDTO(bundle, name);
        if (dto == null) {
            throw new AssertionError("SCR knows no component " + name + " in " + bundle.getSymbolicName());
        }
        return dto;
    }

    /** The metatype of the bundle under test, as the metatype service reads it. */
    public MetaTypeInformation metatype() {
        return service(MetaTypeService.class).getMetaTypeInformation(bundle);
    }

    /** The object class definition of {@code pid}, default locale; fails when there is none. */
    public ObjectClassDefinition objectClass(String pid) {
        ObjectClassDefinition ocd = metatype().getObjectClassDefinition(pid, null);
        if (ocd == null) {
            throw new AssertionError("no metatype for " + pid + " in " + bundle.getSymbolicName());
        }
        return ocd;
    }

    private <T> T service(Class<T> type) {
        BundleContext context = framework.getBundleContext();
        var ref = context.getServiceReference(type);
        if (ref == null) {
            throw new AssertionError(type.getName() + " is not registered");
        }
        return context.getService(ref);
    }

    @Override
    public void close() throws Exception {
        stop(framework, storage);
    }

    private static void stop(Framework framework, Path storage) throws Exception {
        try {
            framework.stop();
            framework.waitForStop(0);
        } finally {
            try (Stream<Path> s = Files.walk(storage)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Bundle install(BundleContext context, Path location) throws BundleException {
        return context.installBundle("reference:" + location.toUri());
    }

    /** The jar or classes folder a class was loaded from. */
    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Manifest manifest(Path location) {
        try {
            if (Files.isDirectory(location)) {
                try (InputStream in = Files.newInputStream(location.resolve("META-INF/MANIFEST.MF"))) {
                    return new Manifest(in);
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                return jar.getManifest();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
