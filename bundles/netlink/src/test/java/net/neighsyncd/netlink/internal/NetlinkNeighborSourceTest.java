package net.neighsyncd.netlink.internal;

import static net.neighsyncd.netlink.internal.Configs.config;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.DUMP_COMPLETED;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.DUMP_STARTED;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.LINK_REMOVED;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.NEIGHBOR;
import static net.neighsyncd.netlink.internal.RecordingHandler.neighbor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.netlink.internal.RecordingHandler.Event;
import net.neighsyncd.testsupport.Netns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The component against the real kernel: a private network namespace with a veth pair, made
 * by the test; neighbors added and removed with {@code ip -n NS neigh ...}. Needs root.
 */
class NetlinkNeighborSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int BUFFER = 16 * 1024 * 1024;

    private Netns ns;
    private NetlinkNeighborSource source;
    private final RecordingHandler handler = new RecordingHandler();
    private AutoCloseable subscription;

    @BeforeEach
    void namespace() {
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        ns = Netns.create("nltest");
        ns.addVethPair("veth0", "veth1");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (subscription != null) {
            subscription.close();
        }
        if (source != null) {
            source.deactivate();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private void start(String namespace, int buffer) {
        source = new NetlinkNeighborSource();
        source.activate(null, config(namespace, buffer), Map.of());
        subscription = source.subscribe(handler);
    }

    private void permanent(Netns where, String ip, String mac, String dev) {
        where.exec("neigh", "replace", ip, "lladdr", mac, "nud", "permanent", "dev", dev);
    }

    private static int indexOf(List<Event> events, java.util.function.Predicate<Event> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean readerAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void deliversTheDumpThenLiveAddsMacChangesDeletesAndALinkRemoval() throws Exception {
        // given two neighbors on veth0 before the source starts
        permanent(ns, "10.0.0.2", "02:00:00:00:00:02", "veth0");
        permanent(ns, "2001:db8::2", "02:00:00:00:00:06", "veth0");
        int veth0 = ns.ifindex("veth0");

        // when the source starts in that namespace
        start(ns.name(), BUFFER);

        // then both come in the dump, named veth0, between onDumpStarted and onDumpCompleted
        List<Event> dump = handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);
        int started = indexOf(dump, e -> e.is(DUMP_STARTED));
        int v4 = indexOf(dump, neighbor(false, "10.0.0.2"));
        int v6 = indexOf(dump, neighbor(false, "2001:db8::2"));
        assertTrue(started >= 0 && v4 > started && v6 > started, dump::toString);
        assertEquals("veth0:10.0.0.2", dump.get(v4).message().key().toString());
        assertEquals("02:00:00:00:00:02", dump.get(v4).message().mac().toString());
        assertEquals(NudState.PERMANENT, dump.get(v4).message().state());
        assertEquals(veth0, dump.get(v4).message().ifindex());
        assertEquals("veth0:2001:db8::2", dump.get(v6).message().key().toString());
        assertTrue(readerAlive("neighsyncd-netlink-reader[" + ns.name() + "]"), "the reader thread is named for the ns");

        // when a neighbor is added live, then it arrives with its MAC
        permanent(ns, "10.0.0.3", "02:00:00:00:00:03", "veth0");
        Event added = last(handler.awaitUpTo(neighbor(false, "10.0.0.3"), WAIT));
        assertEquals("02:00:00:00:00:03", added.message().mac().toString());
        assertEquals("veth0", added.message().ifname());

        // when its MAC changes, then the new MAC arrives
        permanent(ns, "10.0.0.3", "02:00:00:00:00:33", "veth0");
        handler.awaitUpTo(e -> neighbor(false, "10.0.0.3").test(e)
                && "02:00:00:00:00:33".equals(String.valueOf(e.message().mac())), WAIT);

        // when it is deleted, then an RTM_DELNEIGH arrives for it
        ns.exec("neigh", "del", "10.0.0.3", "dev", "veth0");
        Event deleted = last(handler.awaitUpTo(neighbor(true, "10.0.0.3"), WAIT));
        assertEquals("veth0:10.0.0.3", deleted.message().key().toString());

        // when veth0 is deleted, then its neighbors are deleted (by name) and the link removal follows
        ns.exec("link", "del", "veth0");
        List<Event> gone = handler.awaitUpTo(e -> e.is(LINK_REMOVED) && e.ifindex() == veth0, WAIT);
        assertEquals("veth0", last(gone).ifname());
        int del4 = indexOf(gone, neighbor(true, "10.0.0.2"));
        int del6 = indexOf(gone, neighbor(true, "2001:db8::2"));
        assertTrue(del4 >= 0 && del6 >= 0, gone::toString);
        assertEquals("veth0", gone.get(del4).message().ifname());

        // and the counters saw it all
        Map<String, Long> c = source.counters();
        assertEquals(1L, c.get("dumps.started"));
        assertEquals(1L, c.get("dumps.completed"));
        assertTrue(c.get("messages.newneigh") >= 4, c::toString);
        assertTrue(c.get("messages.delneigh") >= 3, c::toString);
        assertTrue(c.get("socket.rcvbuf.bytes") >= BUFFER, c::toString);
        assertEquals(0L, c.get("overflows"));
    }

    @Test
    void givenARunningSourceWhenItsDumpIsReadThenEveryDatagramReadIsTimed() throws Exception {
        // given a neighbor before the source starts
        permanent(ns, "10.0.0.2", "02:00:00:00:00:02", "veth0");
        // when the source starts and its dump has been delivered
        start(ns.name(), BUFFER);
        handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);
        // then the read histogram has (at least) a sample per datagram dispatched so far: each is timed before its dispatch
        long datagrams = source.counters().get("datagrams");
        List<net.neighsyncd.api.profiling.StageHistogram> stages = source.stages();
        assertEquals(net.neighsyncd.api.profiling.Stage.NETLINK_READ, stages.get(0).stage());
        assertEquals(1, stages.get(0).sampleEvery());
        assertTrue(datagrams >= 2 && stages.get(0).count() >= datagrams, () -> datagrams + " datagrams, " + stages);
        assertTrue(stages.get(0).sumNanos() > 0, stages::toString);
    }

    @Test
    void reportsTheMasterDeviceOfTheNeighborsInterface() throws Exception {
        // given a running source, and an interface enslaved to a bridge
        start(ns.name(), BUFFER);
        handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);
        ns.exec("link", "add", "Bridge7", "type", "bridge");
        ns.addVethPair("vethM", "vethN");
        ns.exec("link", "set", "vethM", "master", "Bridge7");
        // when a neighbor appears on it (and one on an interface without a master)
        permanent(ns, "10.7.1.2", "02:00:00:00:07:12", "vethM");
        permanent(ns, "10.7.1.3", "02:00:00:00:07:13", "vethN");
        // then the message names the master, from the link cache
        assertEquals("Bridge7", last(handler.awaitUpTo(neighbor(false, "10.7.1.2"), WAIT)).message().masterName());
        assertEquals(null, last(handler.awaitUpTo(neighbor(false, "10.7.1.3"), WAIT)).message().masterName());
    }

    @Test
    void namesNeighborsOfLinksCreatedAfterTheStart() throws Exception {
        // given a running source
        start(ns.name(), BUFFER);
        handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);

        // when a new veth pair appears and gets a neighbor
        ns.addVethPair("vethA", "vethB");
        permanent(ns, "10.7.0.2", "02:00:00:00:07:02", "vethA");

        // then the neighbor is named from the live RTM_NEWLINK, without a lookup
        Event e = last(handler.awaitUpTo(neighbor(false, "10.7.0.2"), WAIT));
        assertEquals("vethA:10.7.0.2", e.message().key().toString());
        assertEquals(0L, source.counters().get("linklookups.missed"));
    }

    @Test
    void coalescesRepeatedDumpRequests() throws Exception {
        // given a running source whose first dump completed
        permanent(ns, "10.0.0.2", "02:00:00:00:00:02", "veth0");
        start(ns.name(), BUFFER);
        handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);

        // when five dumps are requested at once
        for (int i = 0; i < 5; i++) {
            source.requestDump();
        }

        // then one or two dumps run (one may already be under way when the others are asked for), each complete
        handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);
        List<Event> rest = handler.drain(Duration.ofSeconds(1));
        long started = handler.seen.stream().filter(e -> e.is(DUMP_STARTED)).count();
        long completed = handler.seen.stream().filter(e -> e.is(DUMP_COMPLETED)).count();
        assertTrue(started >= 2 && started <= 3, "dumps started: " + started + " " + rest);
        assertEquals(started, completed);
        assertTrue(handler.seen.stream().filter(neighbor(false, "10.0.0.2")).count() >= 2);
    }

    @Test
    void appliesANewReceiveBufferToTheLiveSocket() throws Exception {
        // given a running source with a 16 MiB buffer
        start(ns.name(), BUFFER);
        handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);
        assertTrue(source.counters().get("socket.rcvbuf.bytes") >= BUFFER);

        // when the configuration asks for 1 MiB
        source.modified(config(ns.name(), 1 << 20));

        // then the live socket reports 2 MiB (the kernel doubles), without a new dump or reader
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (source.counters().get("socket.rcvbuf.bytes") != 2L << 20 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(2L << 20, source.counters().get("socket.rcvbuf.bytes"));
        assertEquals(1L, source.counters().get("reader.starts"));
        assertEquals(1L, source.counters().get("dumps.started"));
    }

    @Test
    void movesToAnotherNamespaceAndDumpsIt() throws Exception {
        // given a running source and a second namespace with its own neighbor
        start(ns.name(), BUFFER);
        handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);
        try (Netns other = Netns.create("nltest2")) {
            other.addVethPair("eth9", "eth10");
            permanent(other, "10.9.9.9", "02:00:00:00:09:09", "eth9");
            String oldReader = "neighsyncd-netlink-reader[" + ns.name() + "]";

            // when the namespace setting changes
            source.modified(config(other.name(), BUFFER));

            // then the old reader is gone and the new one dumps the other namespace
            assertEquals(other.name(), source.namespace());
            assertFalse(readerAlive(oldReader));
            List<Event> dump = handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);
            assertTrue(indexOf(dump, e -> e.is(DUMP_STARTED)) >= 0, dump::toString);
            Event e = dump.get(indexOf(dump, neighbor(false, "10.9.9.9")));
            assertEquals("eth9:10.9.9.9", e.message().key().toString());
            assertEquals(2L, source.counters().get("reader.starts"));

            // and closing the subscription stops the reader
            subscription.close();
            subscription = null;
            assertFalse(readerAlive("neighsyncd-netlink-reader[" + other.name() + "]"));
        }
    }

    @Test
    void stopsDeliveringOnceTheSubscriptionIsClosed() throws Exception {
        // given a running source
        start(ns.name(), BUFFER);
        handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);
        String reader = "neighsyncd-netlink-reader[" + ns.name() + "]";
        assertTrue(readerAlive(reader));

        // when the subscription is closed
        subscription.close();
        subscription = null;

        // then the reader thread has ended and later neighbors are not delivered
        assertFalse(readerAlive(reader));
        permanent(ns, "10.0.0.8", "02:00:00:00:00:08", "veth0");
        assertTrue(handler.drain(Duration.ofMillis(500)).stream().noneMatch(e -> e.is(NEIGHBOR)));
    }

    @Test
    void aHandlerMayCloseItsOwnSubscription() throws Exception {
        // given a source whose handler closes the subscription when the first dump completes
        source = new NetlinkNeighborSource();
        source.activate(null, config(ns.name(), BUFFER), Map.of());
        java.util.concurrent.CompletableFuture<AutoCloseable> own = new java.util.concurrent.CompletableFuture<>();
        RecordingHandler closing = new RecordingHandler() {
            @Override
            public void onDumpCompleted() {
                super.onDumpCompleted();
                try {
                    own.get(10, java.util.concurrent.TimeUnit.SECONDS).close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        own.complete(source.subscribe(closing));

        // when the dump completes
        closing.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);

        // then the reader ends by itself, and the source takes a new subscriber
        String reader = "neighsyncd-netlink-reader[" + ns.name() + "]";
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (readerAlive(reader) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(readerAlive(reader));
        subscription = source.subscribe(handler);
        handler.awaitUpTo(e -> e.is(DUMP_COMPLETED), WAIT);
    }

    private static Event last(List<Event> events) {
        return events.get(events.size() - 1);
    }
}
