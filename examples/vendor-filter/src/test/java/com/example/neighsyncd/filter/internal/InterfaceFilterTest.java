package com.example.neighsyncd.filter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import org.junit.jupiter.api.Test;

/** The filter as DS drives it: activated, modified, and asked by the engine's thread. */
class InterfaceFilterTest {
    private static final NeighborRecord ETHERNET0 = record("Ethernet0", "10.0.0.1");
    private static final NeighborRecord ETHERNET8 = record("Ethernet8", "10.0.8.1");
    private static final NeighborRecord ETHERNET8_V6 = record("Ethernet8", "fc00::8");
    private static final NeighborRecord ETHERNET80 = record("Ethernet80", "10.0.80.1");

    @Test
    void dropsTheNeighborsOfAMatchingInterfaceInBothFamilies() {
        InterfaceFilter filter = activated("^Ethernet8$");

        assertEquals(Optional.empty(), filter.filter(ETHERNET8));
        assertEquals(Optional.empty(), filter.filter(ETHERNET8_V6));
    }

    @Test
    void passesTheNeighborsOfOtherInterfacesUnchanged() {
        InterfaceFilter filter = activated("^Ethernet8$");

        assertSame(ETHERNET0, filter.filter(ETHERNET0).orElseThrow());
        assertSame(ETHERNET80, filter.filter(ETHERNET80).orElseThrow());
    }

    @Test
    void matchesTheWholeInterfaceNameNotAPartOfIt() {
        // given a pattern without anchors
        InterfaceFilter filter = activated("Ethernet8");

        // then it still has to match the whole name
        assertEquals(Optional.empty(), filter.filter(ETHERNET8));
        assertTrue(filter.filter(ETHERNET80).isPresent());
    }

    @Test
    void dropsNothingWithTheDefaultEmptyPattern() {
        InterfaceFilter filter = activated(InterfaceFilter.DEFAULT_PATTERN);

        for (NeighborRecord r : List.of(ETHERNET0, ETHERNET8, ETHERNET8_V6, ETHERNET80)) {
            assertSame(r, filter.filter(r).orElseThrow());
        }
        assertEquals("", filter.pattern());
    }

    @Test
    void appliesANewPatternInPlace() {
        // given a filter dropping Ethernet8
        InterfaceFilter filter = activated("^Ethernet8$");

        // when the configuration is modified to Ethernet0
        filter.modified(config("^Ethernet0$"));

        // then the same instance drops Ethernet0 and passes Ethernet8
        assertEquals(Optional.empty(), filter.filter(ETHERNET0));
        assertSame(ETHERNET8, filter.filter(ETHERNET8).orElseThrow());
    }

    @Test
    void rejectsAnInvalidPatternWithOneLogLineAndKeepsTheLastGoodOne() {
        // given a filter dropping Ethernet8
        InterfaceFilter filter = activated("^Ethernet8$");

        // when an invalid pattern arrives
        String log = stderrOf(() -> filter.modified(config("Ethernet[")));

        // then one error line names the PID, the key and the reason, and Ethernet8 is still dropped
        List<String> lines = log.lines().toList();
        assertEquals(1, lines.size(), log);
        assertTrue(lines.get(0).contains("ERROR"), log);
        assertTrue(lines.get(0).contains("configuration com.example.neighsyncd.filter rejected"), log);
        assertTrue(lines.get(0).contains("interfacePattern='Ethernet['"), log);
        assertTrue(lines.get(0).contains("Unclosed character class"), log);
        assertTrue(lines.get(0).contains("keeping '^Ethernet8$'"), log);
        assertEquals("^Ethernet8$", filter.pattern());
        assertEquals(Optional.empty(), filter.filter(ETHERNET8));
    }

    @Test
    void reportsARejectedPatternInItsHealthUntilAValidOneArrives() {
        // given a filter whose last configuration was rejected
        InterfaceFilter filter = activated("^Ethernet8$");
        assertEquals(Set.of(), filter.problems());
        stderrOf(() -> filter.modified(config("Ethernet[")));

        // then its health names the PID, the key and the reason, degraded: the last good pattern filters on
        assertEquals(Set.of(net.neighsyncd.api.health.Problem.degraded("com.example.neighsyncd.filter",
                "configuration rejected: interfacePattern='Ethernet[' is not a regular expression (Unclosed character "
                        + "class at index 8); keeping '^Ethernet8$'")), filter.problems());

        // and a valid pattern clears it
        filter.modified(config("^Ethernet0$"));
        assertEquals(Set.of(), filter.problems());
    }

    @Test
    void startsWithTheDefaultWhenTheFirstPatternIsInvalid() {
        // when the first configuration holds an invalid pattern
        InterfaceFilter filter = new InterfaceFilter();
        String log = stderrOf(() -> filter.activate(config("(Ethernet")));

        // then it is rejected and the default, dropping nothing, is in force
        assertTrue(log.contains("configuration com.example.neighsyncd.filter rejected"), log);
        assertEquals("", filter.pattern());
        assertSame(ETHERNET8, filter.filter(ETHERNET8).orElseThrow());
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static InterfaceFilter activated(String pattern) {
        InterfaceFilter filter = new InterfaceFilter();
        filter.activate(config(pattern));
        return filter;
    }

    private static NeighborRecord record(String ifname, String ip) {
        return new NeighborRecord(new NeighborKey(ifname, IpAddress.parse(ip)), MacAddress.parse("02:00:00:00:00:01"));
    }

    /** What slf4j-simple printed while {@code action} ran (it writes to the current System.err). */
    private static String stderrOf(Runnable action) {
        PrintStream saved = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A configuration as DS hands it to the component. */
    @SuppressWarnings("all")
    private static InterfaceFilter.Config config(String pattern) {
        return new InterfaceFilter.Config() {
            @Override
            public String interfacePattern() {
                return pattern;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return InterfaceFilter.Config.class;
            }
        };
    }
}
