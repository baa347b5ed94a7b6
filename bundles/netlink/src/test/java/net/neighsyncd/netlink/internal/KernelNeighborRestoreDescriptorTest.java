package net.neighsyncd.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The DS and metatype descriptors bnd generated for the restore (in target/classes before the tests run). */
class KernelNeighborRestoreDescriptorTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = KernelNeighborRestoreDescriptorTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " was not generated");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void componentNeedsAConfigurationAndTheWarmRestartStore() throws IOException {
        // given the component descriptor
        String xml = resource("/OSGI-INF/net.neighsyncd.netlink.internal.KernelNeighborRestore.xml");

        // then it is off without a configuration of its PID and binds the store statically and mandatorily
        assertTrue(xml.contains("configuration-policy=\"require\""), xml);
        assertTrue(xml.contains("configuration-pid=\"net.neighsyncd.restore\""), xml);
        assertTrue(xml.contains("<reference name=\"store\" interface=\"net.neighsyncd.api.warmrestart.WarmRestartStore\""), xml);
        assertTrue(!xml.contains("policy=\"dynamic\"") && !xml.contains("cardinality=\"0.."), xml);
    }

    @Test
    void metatypeDescribesEveryKeyWithItsDefaultAndRange() throws IOException {
        // given the metatype descriptor of the PID
        String xml = resource("/OSGI-INF/metatype/net.neighsyncd.restore.xml");

        // then the four keys are there with their defaults, the ranges and the relation to the core's wait
        assertTrue(xml.contains("id=\"enabled\" type=\"Boolean\""), xml);
        assertTrue(xml.contains("default=\"false\""), xml);
        assertTrue(xml.contains("id=\"namespace\" type=\"String\""), xml);
        assertTrue(xml.contains("min=\"1\" max=\"3600\" default=\"110\""), xml);
        assertTrue(xml.contains("min=\"10\" max=\"60000\" default=\"1000\""), xml);
        assertTrue(xml.contains("shorter than the core's warm-restart restore wait"), xml);
    }
}
