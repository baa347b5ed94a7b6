package net.neighsyncd.api.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineServicesTest {
    @Test
    void aRequestThatNamesNoNamespaceMeansTheOnlyPipelineElseTheHosts() {
        PipelineServices<String> s = new PipelineServices<>();
        s.bind("asic0-engine", Map.of(Pipelines.NAMESPACE_PROPERTY, "asic0"));
        assertEquals("asic0", s.namespaceFor(""));
        assertEquals("asic0", s.namespaceFor(null));
        assertEquals(Optional.of("asic0-engine"), s.of(s.namespaceFor(null)));
        s.bind("host-engine", Map.of());
        assertEquals(Pipelines.HOST, s.namespaceFor(""));
        assertEquals(Optional.of("host-engine"), s.of(s.namespaceFor("")));
        assertEquals("asic1", s.namespaceFor("asic1"));
        assertEquals(Optional.empty(), s.of("asic1"));
        s.unbind("host-engine");
        assertEquals("asic0", s.namespaceFor(""));
        assertEquals(Map.of("asic0", "asic0-engine"), s.all());
    }
}
