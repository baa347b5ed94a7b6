package net.neighsyncd.netlink.internal;

import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.DUMP_COMPLETED;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.DUMP_STARTED;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.NEIGHBOR;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.OVERFLOW;
import static net.neighsyncd.netlink.internal.RecordingHandler.neighbor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.neighsyncd.netlink.internal.RecordingHandler.Event;
import net.neighsyncd.testsupport.Netns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reader's way out of a dump the kernel no longer continues, against the real kernel in a
 * private network namespace. The kernel stalls a dump only when a dump part met a full receive
 * buffer and the queue then drained with nothing else arriving, which a test cannot bring about
 * on demand; {@link LosesTheFirstNeighborDumpRequest} makes the same silence by never sending the
 * first neighbor dump request. Needs root.
 */
class NetlinkReaderStalledDumpTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The silence that counts as a stall here, instead of the reader's 1 s. */
    private static final long STALL_MILLIS = 50;

    private Netns ns;
    private NetlinkReader reader;
    private final RecordingHandler handler = new RecordingHandler();
    private final NetlinkCounters counters = new NetlinkCounters();

    /**
     * The fault: the first RTM_GETNEIGH dump request never reaches the kernel, so that dump gets
     * no answer at all. Every other call goes to the reader; each request is recorded with the
     * port id of the socket it went out on.
     */
    private static final class LosesTheFirstNeighborDumpRequest implements EventDispatcher.Kernel {
        private final EventDispatcher.Kernel kernel;
        final List<String> requests = new CopyOnWriteArrayList<>();
        private boolean lost;

        LosesTheFirstNeighborDumpRequest(EventDispatcher.Kernel kernel) {
            this.kernel = kernel;
        }

        @Override
        public int portId() {
            return kernel.portId();
        }

        @Override
        public void sendDump(int type, int seq) throws NetlinkException {
            String what = (type == NetlinkCodec.RTM_GETNEIGH ? "neighbors" : "links") + " on port " + portId();
            if (type == NetlinkCodec.RTM_GETNEIGH && !lost) {
                lost = true;
                requests.add("lost: " + what);
                return;
            }
            requests.add("sent: " + what);
            kernel.sendDump(type, seq);
        }

        @Override
        public Link lookupLink(int ifindex) {
            return kernel.lookupLink(ifindex);
        }

        @Override
        public void retryDumpLater(long delayMillis) {
            kernel.retryDumpLater(delayMillis);
        }
    }

    @BeforeEach
    void namespace() {
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        ns = Netns.create("nlstall");
        ns.addVethPair("veth0", "veth1");
    }

    @AfterEach
    void cleanUp() {
        if (reader != null) {
            reader.stop();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void abandonsADumpThatFallsSilentReportsTheOverflowAndDumpsAgainOnAFreshSocket() throws Exception {
        // given a permanent neighbor in the namespace, and a reader whose first neighbor dump gets no answer
        ns.exec("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "nud", "permanent", "dev", "veth0");
        LosesTheFirstNeighborDumpRequest[] fault = new LosesTheFirstNeighborDumpRequest[1];
        reader = new NetlinkReader(ns.name(), 1 << 20, handler, counters, STALL_MILLIS, kernel -> {
            fault[0] = new LosesTheFirstNeighborDumpRequest(kernel);
            return fault[0];
        });

        // when the reader starts, and its neighbor dump stays silent for the stall time
        reader.start();
        List<Event> events = handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);

        // then the silent dump was given up with an overflow (events may have been lost), and a full dump
        // followed that brought the neighbor back and completed
        List<Event.Kind> dumpKinds = events.stream().map(Event::kind).filter(k -> k != NEIGHBOR).toList();
        assertEquals(List.of(DUMP_STARTED, OVERFLOW, DUMP_STARTED, DUMP_COMPLETED), dumpKinds, events::toString);
        int secondStart = events.lastIndexOf(new Event(DUMP_STARTED, null, 0, null));
        assertTrue(events.subList(secondStart, events.size()).stream().anyMatch(neighbor(false, "10.0.0.2")),
                events::toString);
        assertEquals(1L, counters.snapshot().get("dumps.stalled"));
        // and that dump went out on a new socket: links, then neighbors, both on a port other than the silent one's
        List<String> requests = fault[0].requests;
        assertEquals(4, requests.size(), requests::toString);
        String silentPort = requests.get(1).replace("lost: neighbors on port ", "");
        assertEquals(List.of("sent: links on port " + silentPort, "lost: neighbors on port " + silentPort),
                requests.subList(0, 2));
        String freshPort = requests.get(2).replace("sent: links on port ", "");
        assertNotEquals(silentPort, freshPort);
        assertEquals(List.of("sent: links on port " + freshPort, "sent: neighbors on port " + freshPort),
                requests.subList(2, 4));
    }
}
