package net.neighsyncd.netlink.internal;

import static net.neighsyncd.netlink.internal.Configs.config;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.DUMP_COMPLETED;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.DUMP_STARTED;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.NEIGHBOR;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.OVERFLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.netlink.internal.RecordingHandler.Event;
import net.neighsyncd.testsupport.Netns;
import org.junit.jupiter.api.Test;

/**
 * A burst the socket cannot hold: the smallest receive buffer the configuration allows (64 KiB,
 * which the kernel doubles), a handler that takes a millisecond per neighbor until it has seen
 * the overflow, and 3000 permanent neighbors added with one {@code ip -batch}. The source must
 * report ENOBUFS through {@code onOverflow}, keep reading, and a requested dump must then bring
 * back every neighbor.
 */
class NetlinkOverflowTest {
    private static final int BURST = 3000;

    @Test
    void reportsOverflowOfATinyBufferAndRecoversWithADump() throws Exception {
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        // given a source with a 64 KiB buffer in a namespace, and a slow handler
        RecordingHandler slow = new RecordingHandler() {
            private volatile boolean overflowed;

            @Override
            public void onNeighbor(NeighborMessage message) {
                if (!overflowed) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.onNeighbor(message);
            }

            @Override
            public void onOverflow() {
                overflowed = true;
                super.onOverflow();
            }
        };
        try (Netns ns = Netns.create("nloverflow")) {
            ns.addVethPair("veth0", "veth1");
            NetlinkNeighborSource source = new NetlinkNeighborSource();
            source.activate(null, config(ns.name(), NetlinkNeighborSource.MIN_RECEIVE_BUFFER), Map.of());
            AutoCloseable sub = source.subscribe(slow);
            try {
                slow.awaitUpTo(e -> e.is(DUMP_COMPLETED), Duration.ofSeconds(10));
                assertTrue(source.counters().get("socket.rcvbuf.bytes") < 256 * 1024, source.counters()::toString);

                // when 3000 neighbors are added in one burst
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < BURST; i++) {
                    lines.add(String.format("neigh replace 10.1.%d.%d lladdr 02:00:00:01:%02x:%02x nud permanent dev veth0",
                            i / 250, i % 250 + 1, i / 250, i % 250 + 1));
                }
                ns.batch(lines);

                // then the handler is told that messages were lost
                slow.awaitUpTo(e -> e.is(OVERFLOW), Duration.ofSeconds(30));
                assertTrue(source.counters().get("overflows") >= 1);

                // and when a dump is requested, it brings back all 3000 (the reader kept going)
                slow.drain(Duration.ofMillis(500));
                source.requestDump();
                List<Event> dump = slow.awaitUpTo(e -> e.is(DUMP_COMPLETED), Duration.ofSeconds(30));
                int started = -1;
                for (int i = 0; i < dump.size(); i++) {
                    if (dump.get(i).is(DUMP_STARTED)) {
                        started = i;
                    }
                }
                assertTrue(started >= 0, "a dump started");
                Set<String> burst = new HashSet<>();
                for (Event e : dump.subList(started, dump.size())) {
                    if (e.is(NEIGHBOR) && e.message().address() != null
                            && e.message().address().toString().startsWith("10.1.")) {
                        assertEquals("veth0", e.message().ifname());
                        burst.add(e.message().address().toString());
                    }
                }
                assertEquals(BURST, burst.size());
            } finally {
                sub.close();
                source.deactivate();
            }
        }
    }
}
