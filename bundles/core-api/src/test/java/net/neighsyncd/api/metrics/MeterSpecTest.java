package net.neighsyncd.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeterSpecTest {

    @Test
    void theFactoriesMakeACounterWithoutUnitAndAGaugeWithOne() {
        // given / when
        MeterSpec counter = MeterSpec.counter("neighsyncd.redis.roundtrips", "Round trips", null, () -> 1);
        MeterSpec gauge = MeterSpec.gauge("neighsyncd.netlink.receive.buffer", "bytes", "Receive buffer",
                Map.of("socket", "events"), () -> 2);
        // then
        assertEquals(MeterSpec.Kind.COUNTER, counter.kind());
        assertNull(counter.baseUnit());
        assertEquals(Map.of(), counter.tags());
        assertEquals(MeterSpec.Kind.GAUGE, gauge.kind());
        assertEquals("bytes", gauge.baseUnit());
        assertEquals(2.0, gauge.value().getAsDouble());
    }

    @Test
    void theTagsAreACopyThatCannotChange() {
        // given
        Map<String, String> tags = new HashMap<>(Map.of("type", "newneigh"));
        MeterSpec spec = MeterSpec.counter("neighsyncd.netlink.messages", "Messages", tags, () -> 0);
        // when
        tags.put("type", "dellink");
        // then
        assertEquals(Map.of("type", "newneigh"), spec.tags());
        assertThrows(UnsupportedOperationException.class, () -> spec.tags().put("x", "y"));
    }

    @Test
    void aNameThatIsNotADottedLowerCaseNameIsRejected() {
        for (String bad : new String[] {"", "Neighsyncd.x", "1x", "x-y", "x y", "x_y{a}", ".x"}) {
            assertThrows(IllegalArgumentException.class, () -> MeterSpec.counter(bad, "d", null, () -> 0), bad);
        }
        assertThrows(NullPointerException.class, () -> MeterSpec.counter(null, "d", null, () -> 0));
    }

    @Test
    void aBlankDescriptionOrUnitABadTagKeyAndAMissingSupplierAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> MeterSpec.counter("x", " ", null, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> MeterSpec.counter("x", null, null, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> MeterSpec.gauge("x", "", "d", null, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> MeterSpec.counter("x", "d", Map.of("Type", "a"), () -> 0));
        assertThrows(NullPointerException.class, () -> MeterSpec.counter("x", "d", null, null));
        assertThrows(NullPointerException.class, () -> new MeterSpec("x", null, "d", null, null, () -> 0));
    }
}
