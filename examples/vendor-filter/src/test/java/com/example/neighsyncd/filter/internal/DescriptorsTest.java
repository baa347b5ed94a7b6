package com.example.neighsyncd.filter.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.neighsyncd.testsupport.BundleInFelix;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/** What bnd generated in target/classes: the manifest, and the DS and metatype descriptors as Felix reads them. */
class DescriptorsTest {

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
    void componentProvidesAFilterAndAHealthContributorWithAnOptionalConfiguration() throws Exception {
        // given the component as SCR reads it in Felix
        try (BundleInFelix felix = BundleInFelix.start(InterfaceFilter.class)) {
            ComponentDescriptionDTO c = felix.component(InterfaceFilter.class.getName());

            // then
            assertEquals("optional", c.configurationPolicy);
            assertArrayEquals(new String[] {"com.example.neighsyncd.filter"}, c.configurationPid);
            assertEquals("modified", c.modified);
            assertEquals(Set.of("net.neighsyncd.api.engine.NeighborFilter", "net.neighsyncd.api.health.HealthContributor"),
                    Set.of(c.serviceInterfaces));
            // no reference but the satisfying condition DS 1.5 gives every component
            assertEquals(List.of("osgi.ds.satisfying.condition"),
                    Arrays.stream(c.references).map(r -> r.name).toList());
        }
    }

    @Test
    void metatypeDescribesThePatternWithItsEmptyDefault() throws Exception {
        // given the metatype service's definition of the PID
        try (BundleInFelix felix = BundleInFelix.start(InterfaceFilter.class)) {
            ObjectClassDefinition ocd = felix.objectClass("com.example.neighsyncd.filter");
            AttributeDefinition pattern = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                    .filter(a -> a.getID().equals("interfacePattern")).findFirst().orElseThrow();

            // then
            assertEquals(AttributeDefinition.STRING, pattern.getType());
            assertEquals("Interface pattern", pattern.getName());
            assertTrue(pattern.getDescription().contains("Empty: drops nothing"), pattern.getDescription());
            assertArrayEquals(new String[] {""}, pattern.getDefaultValue());
        }
    }
}
