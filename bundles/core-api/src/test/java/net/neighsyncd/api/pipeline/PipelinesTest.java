package net.neighsyncd.api.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelinesTest {

    @Test
    void aNamespaceNameIsANameUnderVarRunNetnsNeverAPath() {
        assertTrue(Pipelines.isNamespaceName("asic0"));
        assertTrue(Pipelines.isNamespaceName("nsd-asic1-f2e0ad9c"));
        assertFalse(Pipelines.isNamespaceName(".."));
        assertFalse(Pipelines.isNamespaceName("."));
        assertFalse(Pipelines.isNamespaceName("../etc"));
        assertFalse(Pipelines.isNamespaceName(""));
        assertFalse(Pipelines.isNamespaceName(null));
    }

    @Test
    void aServiceWithoutTheNamespacePropertyIsTheHosts() {
        assertEquals(Pipelines.HOST, Pipelines.namespaceOf(Map.of()));
        assertTrue(Pipelines.belongsTo(Map.of(Pipelines.NAMESPACE_PROPERTY, "asic0"), "asic0"));
        assertFalse(Pipelines.belongsTo(Map.of(), "asic0"));
    }
}
