package net.neighsyncd.netlink.internal;

import net.neighsyncd.testsupport.BundleInFelix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.neighsyncd.api.warmrestart.WarmRestartStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The restore's component and metatype descriptions as bnd generated them, read the way the
 * daemon's runtime reads them: by SCR and the metatype service in Felix ({@link BundleInFelix}).
 */
class KernelNeighborRestoreDescriptorTest {
    private static final String COMPONENT = KernelNeighborRestore.class.getName();
    private static final String PID = KernelNeighborRestore.PID;

    private static BundleInFelix felix;

    @BeforeAll
    static void startFelix() throws Exception {
        felix = BundleInFelix.start(KernelNeighborRestore.class, "com.sun.jna.Native");
    }

    @AfterAll
    static void stopFelix() throws Exception {
        if (felix != null) {
            felix.close();
        }
    }

    private static AttributeDefinition attribute(String id) {
        AttributeDefinition[] all = felix.objectClass(PID).getAttributeDefinitions(ObjectClassDefinition.ALL);
        return Arrays.stream(all).filter(a -> a.getID().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no attribute " + id + " in the metatype of " + PID));
    }

    /** The option values; none (the service gives an empty array or null) for a free value. */
    private static List<String> options(AttributeDefinition ad) {
        return ad.getOptionValues() == null ? List.of() : List.of(ad.getOptionValues());
    }

    /** The component's own references, without the satisfying condition SCR adds to every component. */
    private static List<ReferenceDTO> ownReferences(ComponentDescriptionDTO component) {
        return Arrays.stream(component.references)
                .filter(r -> !r.name.equals(ComponentConstants.REFERENCE_NAME_SATISFYING_CONDITION)).toList();
    }

    /** Valid: the metatype service's validation gives the empty string. */
    private static boolean accepts(AttributeDefinition ad, int value) {
        return "".equals(ad.validate(Integer.toString(value)));
    }

    @Test
    void componentStaysOffWithoutAConfigurationOfItsPid() {
        // given the component as SCR describes it
        ComponentDescriptionDTO component = felix.component(COMPONENT);

        // then it needs a configuration, of the restore's PID
        assertEquals("require", component.configurationPolicy);
        assertArrayEquals(new String[] {PID}, component.configurationPid);
    }

    @Test
    void componentBindsOnlyTheWarmRestartStoreStaticallyAndMandatorily() {
        // given the component as SCR describes it
        ComponentDescriptionDTO component = felix.component(COMPONENT);

        // then its one reference is the store, 1..1 and static
        List<ReferenceDTO> references = ownReferences(component);
        assertEquals(1, references.size(), () -> Arrays.toString(component.references));
        ReferenceDTO store = references.get(0);
        assertEquals("store", store.name);
        assertEquals(WarmRestartStore.class.getName(), store.interfaceName);
        assertEquals("1..1", store.cardinality);
        assertEquals("static", store.policy);
    }

    @Test
    void componentProvidesItsBoundToTheCoreAndStartsImmediately() {
        // given the component as SCR describes it
        ComponentDescriptionDTO component = felix.component(COMPONENT);

        // then it registers only the KernelRestore service (the core checks its wait against the
        // bound) and is activated as soon as it is satisfied, not when someone asks for it
        assertEquals(List.of("net.neighsyncd.api.warmrestart.KernelRestore"), Arrays.asList(component.serviceInterfaces));
        assertTrue(component.immediate);
    }

    @Test
    void metatypeNamesTheRestoreAndTiesItsTimeoutToTheCoresRestoreWait() {
        // given the metatype service's definition of the PID
        ObjectClassDefinition ocd = felix.objectClass(PID);

        // then it is named, its description says what it replaces, and exactly the four keys are described
        assertEquals("neighsyncd kernel neighbor restore", ocd.getName());
        assertTrue(ocd.getDescription().startsWith("Built-in replacement for SONiC's restore_neighbors.py"),
                ocd.getDescription());
        assertEquals(List.of("enabled", "namespace", "timeoutSeconds", "retryMillis"),
                Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)).map(AttributeDefinition::getID)
                        .toList());
        assertTrue(attribute("timeoutSeconds").getDescription()
                .contains("Must be shorter than the core's warm-restart restore wait (default 180 s)"));
    }

    @Test
    void enabledIsASingleBooleanThatDefaultsToFalse() {
        // given the attribute as the metatype service reads it
        AttributeDefinition enabled = attribute("enabled");

        // then
        assertEquals("Enabled", enabled.getName());
        assertEquals(AttributeDefinition.BOOLEAN, enabled.getType());
        assertEquals(0, enabled.getCardinality());
        assertArrayEquals(new String[] {"false"}, enabled.getDefaultValue());
        assertEquals(List.of(), options(enabled));
        assertTrue(enabled.getDescription().contains("False: the component does nothing."), enabled.getDescription());
    }

    @Test
    void namespaceIsAFreeStringThatDefaultsToEmptyForTheOwnNamespace() {
        // given the attribute as the metatype service reads it
        AttributeDefinition namespace = attribute("namespace");

        // then
        assertEquals("Network namespace", namespace.getName());
        assertEquals(AttributeDefinition.STRING, namespace.getType());
        assertArrayEquals(new String[] {""}, namespace.getDefaultValue());
        assertEquals(List.of(), options(namespace));
        assertTrue(namespace.getDescription().contains("Empty: the daemon's own namespace."),
                namespace.getDescription());
    }

    @Test
    void timeoutSecondsIsAnIntegerThatDefaultsTo110AndIsValidOnlyWithinTheRangeTheComponentAccepts() {
        // given the attribute as the metatype service reads it
        AttributeDefinition timeout = attribute("timeoutSeconds");

        // then its default is the component's, and the service validates the component's range
        assertEquals("Timeout (s)", timeout.getName());
        assertEquals(AttributeDefinition.INTEGER, timeout.getType());
        assertArrayEquals(new String[] {Integer.toString(KernelNeighborRestore.DEFAULT_TIMEOUT_SECONDS)},
                timeout.getDefaultValue());
        assertEquals(110, KernelNeighborRestore.DEFAULT_TIMEOUT_SECONDS);
        assertEquals(List.of(), options(timeout));
        assertFalse(accepts(timeout, KernelNeighborRestore.MIN_TIMEOUT_SECONDS - 1));
        assertTrue(accepts(timeout, KernelNeighborRestore.MIN_TIMEOUT_SECONDS));
        assertTrue(accepts(timeout, KernelNeighborRestore.MAX_TIMEOUT_SECONDS));
        assertFalse(accepts(timeout, KernelNeighborRestore.MAX_TIMEOUT_SECONDS + 1));
    }

    @Test
    void retryMillisIsAnIntegerThatDefaultsTo1000AndIsValidOnlyWithinTheRangeTheComponentAccepts() {
        // given the attribute as the metatype service reads it
        AttributeDefinition retry = attribute("retryMillis");

        // then its default is the component's, and the service validates the component's range
        assertEquals("Retry interval (ms)", retry.getName());
        assertEquals(AttributeDefinition.INTEGER, retry.getType());
        assertArrayEquals(new String[] {Integer.toString(KernelNeighborRestore.DEFAULT_RETRY_MILLIS)},
                retry.getDefaultValue());
        assertEquals(1000, KernelNeighborRestore.DEFAULT_RETRY_MILLIS);
        assertEquals(List.of(), options(retry));
        assertFalse(accepts(retry, KernelNeighborRestore.MIN_RETRY_MILLIS - 1));
        assertTrue(accepts(retry, KernelNeighborRestore.MIN_RETRY_MILLIS));
        assertTrue(accepts(retry, KernelNeighborRestore.MAX_RETRY_MILLIS));
        assertFalse(accepts(retry, KernelNeighborRestore.MAX_RETRY_MILLIS + 1));
    }
}
