package net.neighsyncd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

class RuntimeDescriptionTest {
    @TempDir
    Path dir;

    private static final String BNDRUN = String.join("\n",
            "# as bnd writes it",
            "-runfw: org.apache.felix.framework",
            "-runbundles+: \\",
            "\ta.log.*;startlevel=1,\\",
            "\tapp.*;startlevel=3,\\",
            "\t*;startlevel=2",
            "-runproperties: \\",
            "\tfelix.fileinstall.filter='.*\\\\.(cfg|config|jar)',\\",
            "\tplain=yes, quoted=\"a,b;c\"",
            "-runbundles: \\",
            "\ta.log;version='[1.0.0,1.0.1)',\\",
            "\ta.log.ext;version='[1.0.0,1.0.1)',\\",
            "\tapp.core;version='[0.1.0,0.1.1)',\\",
            "\tlib;version='[2.3.0,2.3.1)';startlevel=4",
            "");

    @Test
    void readsPropertiesAndStartLevelsAndMatchesJarsByNameAndVersion() throws Exception {
        // given
        Path bundles = Files.createDirectories(dir.resolve("bundle"));
        jar(bundles.resolve("a-log.jar"), "a.log;singleton:=true", "1.0.0", false);
        jar(bundles.resolve("a-log-ext.jar"), "a.log.ext", "1.0.0", true);
        jar(bundles.resolve("app-core.jar"), "app.core", "0.1.0.202612070358", false);
        jar(bundles.resolve("lib.jar"), "lib", "2.3.0", false);
        Path file = write(BNDRUN);

        // when
        RuntimeDescription d = RuntimeDescription.read(file, bundles);

        // then
        assertEquals(Map.of("felix.fileinstall.filter", ".*\\.(cfg|config|jar)", "plain", "yes", "quoted", "a,b;c"),
                d.frameworkProperties());
        Map<String, Integer> levels = new LinkedHashMap<>();
        d.bundles().forEach(b -> levels.put(b.symbolicName(), b.startLevel()));
        assertEquals(Map.of("a.log", 1, "a.log.ext", 1, "app.core", 3, "lib", 4), levels);
        assertEquals(4, d.topStartLevel());
        assertEquals(Version.parseVersion("0.1.0.202612070358"),
                d.bundles().stream().filter(b -> b.symbolicName().equals("app.core")).findFirst().get().version());
        assertTrue(d.bundles().stream().filter(RuntimeDescription.RunBundle::fragment)
                .allMatch(b -> b.symbolicName().equals("a.log.ext")));
        assertTrue(d.bundles().get(0).startLevel() <= d.bundles().get(d.bundles().size() - 1).startLevel());
    }

    @Test
    void aBundleOfTheDescriptionWithoutItsJarIsRefused() throws Exception {
        Path bundles = Files.createDirectories(dir.resolve("bundle"));
        jar(bundles.resolve("a-log.jar"), "a.log", "1.0.0", false);
        jar(bundles.resolve("a-log-ext.jar"), "a.log.ext", "1.0.0", true);
        jar(bundles.resolve("app-core.jar"), "app.core", "0.1.0", false);
        jar(bundles.resolve("lib.jar"), "lib", "2.4.0", false);

        IOException e = assertThrows(IOException.class, () -> RuntimeDescription.read(write(BNDRUN), bundles));
        assertTrue(e.getMessage().contains("lib [2.3.0,2.3.1)"), e.getMessage());
    }

    @Test
    void aJarTheDescriptionDoesNotNameIsRefused() throws Exception {
        Path bundles = Files.createDirectories(dir.resolve("bundle"));
        jar(bundles.resolve("a-log.jar"), "a.log", "1.0.0", false);
        jar(bundles.resolve("a-log-ext.jar"), "a.log.ext", "1.0.0", true);
        jar(bundles.resolve("app-core.jar"), "app.core", "0.1.0", false);
        jar(bundles.resolve("lib.jar"), "lib", "2.3.0", false);
        jar(bundles.resolve("stray.jar"), "stray", "1.0.0", false);

        IOException e = assertThrows(IOException.class, () -> RuntimeDescription.read(write(BNDRUN), bundles));
        assertTrue(e.getMessage().contains("stray.jar") && e.getMessage().contains("deploy/"), e.getMessage());
    }

    @Test
    void aMacroIsRefusedNotPassedOn() throws Exception {
        Path bundles = Files.createDirectories(dir.resolve("bundle"));
        IOException e = assertThrows(IOException.class, () -> RuntimeDescription.read(
                write("-runproperties: x=${project.version}\n-runbundles: a\n"), bundles));
        assertTrue(e.getMessage().contains("macro"), e.getMessage());
    }

    @Test
    void bndNamePatterns() {
        assertTrue(RuntimeDescription.glob("*").matcher("org.anything").matches());
        assertTrue(RuntimeDescription.glob("ch.qos.logback.*").matcher("ch.qos.logback.classic").matches());
        assertTrue(RuntimeDescription.glob("ch.qos.logback.*").matcher("ch.qos.logback").matches());
        assertFalse(RuntimeDescription.glob("ch.qos.logback.*").matcher("ch.qos.logbackx").matches());
        assertFalse(RuntimeDescription.glob("slf4j.api").matcher("slf4jXapi").matches());
    }

    /**
     * The distribution's own description: the launcher's properties as before it was written, and
     * start levels 1 (logging), 2 (services, libraries), 3 (neighsyncd) for every bundle it names.
     */
    @Test
    void theDistributionsDescription() throws Exception {
        // given: a jar for every -runbundles clause, at the lowest version of its range
        String text = Files.readString(Path.of("neighsyncd.bndrun"));
        Path bundles = Files.createDirectories(dir.resolve("bundle"));
        Matcher m = Pattern.compile("^\\s+([\\w.-]+);version='\\[([^,]+),", Pattern.MULTILINE)
                .matcher(text.substring(text.indexOf("\n-runbundles:")));
        int n = 0;
        while (m.find()) {
            jar(bundles.resolve(m.group(1) + ".jar"), m.group(1), m.group(2), false);
            n++;
        }
        assertTrue(n > 40, "clauses in -runbundles: " + n);

        // when
        RuntimeDescription d = RuntimeDescription.read(Path.of("neighsyncd.bndrun"), bundles);

        // then
        assertEquals(Map.of("org.osgi.framework.startlevel.beginning", "1",
                "org.osgi.framework.storage.clean", "onFirstInit",
                "felix.fileinstall.start.level", "3",
                "felix.fileinstall.poll", "500",
                "felix.fileinstall.noInitialDelay", "true",
                "felix.fileinstall.enableConfigSave", "false",
                "felix.fileinstall.filter", ".*\\.(cfg|config|jar)",
                "felix.fileinstall.log.level", "2",
                "ds.loglevel", "warn"), d.frameworkProperties());
        Map<Integer, String> byLevel = d.bundles().stream().collect(Collectors.groupingBy(
                RuntimeDescription.RunBundle::startLevel, Collectors.mapping(RuntimeDescription.RunBundle::symbolicName,
                        Collectors.joining(","))));
        assertEquals("ch.qos.logback.classic,ch.qos.logback.core,org.apache.aries.spifly.dynamic.framework.extension,"
                + "org.apache.felix.log,org.apache.felix.logback,slf4j.api", byLevel.get(1));
        assertTrue(byLevel.get(2).contains("org.apache.felix.scr") && !byLevel.get(2).contains("net.neighsyncd"),
                byLevel.get(2));
        // the sync path before what serves operators: the first key is written before those start
        assertEquals("net.neighsyncd.core,net.neighsyncd.core.api,net.neighsyncd.ha,net.neighsyncd.logging,"
                + "net.neighsyncd.netlink,net.neighsyncd.redis.sink,net.neighsyncd.systemd,net.neighsyncd.vrf",
                byLevel.get(3));
        for (String operatorFacing : List.of("org.apache.felix.http.jetty12", "org.apache.felix.webconsole",
                "net.neighsyncd.webconsole", "net.neighsyncd.metrics", "net.neighsyncd.alerting", "micrometer-core",
                "net.neighsyncd.tracing", "opentelemetry-sdk-trace", "opentelemetry-exporter-sender-jdk",
                "net.neighsyncd.rest", "net.neighsyncd.profiling", "net.neighsyncd.access", "net.neighsyncd.grpc",
                "org.eclipse.osgitech.rest",
                "org.eclipse.osgitech.rest.servlet.whiteboard",
                "org.glassfish.jersey.core.jersey-server", "org.glassfish.hk2.locator", "jakarta.ws.rs-api")) {
            assertTrue(List.of(byLevel.get(4).split(",")).contains(operatorFacing), operatorFacing + ": " + byLevel);
        }
        assertEquals(4, d.topStartLevel());
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("test.bndrun"), text, StandardCharsets.UTF_8);
    }

    private static void jar(Path path, String bsn, String version, boolean fragment) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", version);
        if (fragment) {
            a.putValue("Fragment-Host", "a.log");
        }
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, mf)) {
            // the manifest is all a test needs
        }
    }
}
