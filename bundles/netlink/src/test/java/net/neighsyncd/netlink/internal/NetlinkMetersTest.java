package net.neighsyncd.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;
import net.neighsyncd.api.metrics.MeterSpec;
import org.junit.jupiter.api.Test;

class NetlinkMetersTest {
    private final NetlinkCounters counters = new NetlinkCounters();
    private final NetlinkMeters meters = new NetlinkMeters(counters);

    @Test
    void theSpecsAreTheNetlinkCountersByTheirNamesAndTags() {
        // given the meters the source must publish (the core exports the overflows; the namespace tag is added by the metrics bundle from the service property)
        Set<String> expected = new TreeSet<>();
        for (String type : List.of("newneigh", "delneigh", "newlink", "dellink", "done", "error", "noop", "overrun",
                "other")) {
            expected.add("COUNTER neighsyncd.netlink.messages{type=" + type + "}");
        }
        for (Malformed reason : Malformed.values()) {
            expected.add("COUNTER neighsyncd.netlink.malformed{reason=" + reason.shortName() + "}");
        }
        for (String result : List.of("started", "completed", "interrupted", "failed", "stalled")) {
            expected.add("COUNTER neighsyncd.netlink.dumps{result=" + result + "}");
        }
        expected.add("COUNTER neighsyncd.netlink.datagrams{}");
        expected.add("COUNTER neighsyncd.netlink.receive.errors{}");
        expected.add("COUNTER neighsyncd.netlink.reader.restarts{}");
        expected.add("COUNTER neighsyncd.netlink.namespace.losses{}");
        expected.add("GAUGE neighsyncd.netlink.receive.buffer{} bytes");
        // when
        List<String> actual = new ArrayList<>();
        for (MeterSpec s : meters.meters()) {
            actual.add(s.kind() + " " + s.name() + s.tags().toString().replace(" ", "")
                    + (s.baseUnit() == null ? "" : " " + s.baseUnit()));
        }
        // then: exactly these, each once
        assertEquals(expected, new TreeSet<>(actual));
        assertEquals(expected.size(), actual.size());
    }

    @Test
    void aSpecsSupplierFollowsItsCounter() {
        // given
        DoubleSupplier newNeigh = value("neighsyncd.netlink.messages", Map.of("type", "newneigh"));
        DoubleSupplier done = value("neighsyncd.netlink.messages", Map.of("type", "done"));
        DoubleSupplier truncated = value("neighsyncd.netlink.malformed",
                Map.of("reason", Malformed.DATAGRAM_TRUNCATED.shortName()));
        DoubleSupplier stalled = value("neighsyncd.netlink.dumps", Map.of("result", "stalled"));
        DoubleSupplier buffer = value("neighsyncd.netlink.receive.buffer", Map.of());
        // when
        counters.message(NetlinkCodec.RTM_NEWNEIGH);
        counters.message(NetlinkCodec.RTM_NEWNEIGH);
        counters.malformed(Malformed.DATAGRAM_TRUNCATED);
        counters.dumpsStalled.incrementAndGet();
        counters.receiveBufferBytes.set(1 << 21);
        // then
        assertEquals(counters.messageCount("newneigh"), newNeigh.getAsDouble());
        assertEquals(2.0, newNeigh.getAsDouble());
        assertEquals(0.0, done.getAsDouble());
        assertEquals(counters.malformedCount(Malformed.DATAGRAM_TRUNCATED), truncated.getAsDouble());
        assertEquals(counters.dumpsStalled.get(), stalled.getAsDouble());
        assertEquals(counters.receiveBufferBytes.get(), buffer.getAsDouble());
    }

    @Test
    void readerRestartsAreTheReaderStartsAfterTheFirst() {
        // given
        DoubleSupplier restarts = value("neighsyncd.netlink.reader.restarts", Map.of());
        // when no reader started yet, then none restarted
        assertEquals(0.0, restarts.getAsDouble());
        // when the first one starts, then still none
        counters.readerStarts.incrementAndGet();
        assertEquals(0.0, restarts.getAsDouble());
        // when two more start (a namespace change, a new subscriber), then two
        counters.readerStarts.addAndGet(2);
        assertEquals(counters.readerStarts.get() - 1, restarts.getAsDouble());
    }

    private DoubleSupplier value(String name, Map<String, String> tags) {
        return meters.meters().stream().filter(s -> s.name().equals(name) && s.tags().equals(tags)).findFirst()
                .orElseThrow(() -> new AssertionError("no meter " + name + tags)).value();
    }
}
