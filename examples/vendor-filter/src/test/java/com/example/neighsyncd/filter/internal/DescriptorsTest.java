package com.example.neighsyncd.filter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What bnd generated in target/classes (before the tests run): the manifest, the DS and metatype descriptors. */
class DescriptorsTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = DescriptorsTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " was not generated");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** target/classes, where bnd wrote the manifest the jar gets. */
    private static Path classesDir() {
        try {
            return Path.of(InterfaceFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bundleImportsTheApiWithAConsumerRangeAndExportsNothing() throws IOException {
        Manifest mf;
        try (InputStream in = Files.newInputStream(classesDir().resolve("META-INF/MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        String imports = mf.getMainAttributes().getValue("Import-Package");

        // NeighborFilter is @ConsumerType: an implementer accepts every 1.x from the minor it was built on
        Pattern consumerRange = Pattern.compile("net\\.neighsyncd\\.api\\.engine;version=\"\\[1\\.\\d+,2\\)\"");
        assertTrue(consumerRange.matcher(imports).find(), imports);
        assertNull(mf.getMainAttributes().getValue("Export-Package"));
        assertEquals("com.example.neighsyncd.filter", mf.getMainAttributes().getValue("Bundle-SymbolicName"));
        assertEquals("com.example.neighsyncd.filter.internal", mf.getMainAttributes().getValue("Private-Package"));
    }

    @Test
    void componentProvidesAFilterAndAHealthContributorWithAnOptionalConfiguration() throws IOException {
        String xml = resource("/OSGI-INF/com.example.neighsyncd.filter.internal.InterfaceFilter.xml");

        assertTrue(xml.contains("configuration-policy=\"optional\""), xml);
        assertTrue(xml.contains("configuration-pid=\"com.example.neighsyncd.filter\""), xml);
        assertTrue(xml.contains("modified=\"modified\""), xml);
        assertTrue(xml.contains("<provide interface=\"net.neighsyncd.api.engine.NeighborFilter\"/>"), xml);
        assertTrue(xml.contains("<provide interface=\"net.neighsyncd.api.health.HealthContributor\"/>"), xml);
        assertFalse(xml.contains("<reference"), xml);
    }

    @Test
    void metatypeDescribesThePatternWithItsEmptyDefault() throws IOException {
        String xml = resource("/OSGI-INF/metatype/com.example.neighsyncd.filter.xml");

        assertTrue(xml.contains("id=\"interfacePattern\" type=\"String\""), xml);
        assertTrue(xml.contains("name=\"Interface pattern\""), xml);
        assertTrue(xml.contains("Empty: drops nothing"), xml);
        assertTrue(xml.contains("default=\"\""), xml);
    }
}
