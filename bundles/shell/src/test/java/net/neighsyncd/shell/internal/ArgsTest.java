package net.neighsyncd.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void takesANamespaceAnywhereAndTheRestInOrder() {
        Args a = Args.of(new String[] {"Ethernet0", "-n", "asic1", "10.0.0.1"}, 2);
        assertEquals("asic1", a.namespace());
        assertEquals(List.of("Ethernet0", "10.0.0.1"), a.positional());
        assertNull(Args.of(new String[0], 0).namespace());
    }

    @Test
    void refusesTooManyArgumentsAndANamespaceWithoutAName() {
        assertThrows(IllegalArgumentException.class, () -> Args.of(new String[] {"a", "b"}, 1));
        assertThrows(IllegalArgumentException.class, () -> Args.of(new String[] {"-n"}, 0));
    }

    @Test
    void escapesWhatThePageShows() {
        assertEquals("&lt;b&gt;&amp;&quot;&#39;", ShellPage.html("<b>&\"'"));
    }
}
