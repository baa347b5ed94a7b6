package net.neighsyncd.netlink.internal;

import static net.neighsyncd.netlink.internal.NetlinkCodec.NLMSG_DONE;
import static net.neighsyncd.netlink.internal.NetlinkCodec.NLMSG_ERROR;
import static net.neighsyncd.netlink.internal.NetlinkCodec.NLM_F_DUMP_INTR;
import static net.neighsyncd.netlink.internal.NetlinkCodec.NLM_F_MULTI;
import static net.neighsyncd.netlink.internal.NetlinkCodec.RTM_DELLINK;
import static net.neighsyncd.netlink.internal.NetlinkCodec.RTM_GETLINK;
import static net.neighsyncd.netlink.internal.NetlinkCodec.RTM_GETNEIGH;
import static net.neighsyncd.netlink.internal.NetlinkCodec.RTM_NEWLINK;
import static net.neighsyncd.netlink.internal.NetlinkCodec.RTM_NEWNEIGH;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.DUMP_COMPLETED;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.DUMP_STARTED;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.LINK_REMOVED;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.NEIGHBOR;
import static net.neighsyncd.netlink.internal.RecordingHandler.Event.Kind.OVERFLOW;
import static net.neighsyncd.netlink.internal.Wire.attr;
import static net.neighsyncd.netlink.internal.Wire.datagram;
import static net.neighsyncd.netlink.internal.Wire.ipv4;
import static net.neighsyncd.netlink.internal.Wire.mac;
import static net.neighsyncd.netlink.internal.Wire.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.api.profiling.Stage;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.profiling.StageHistogram;
import net.neighsyncd.netlink.internal.RecordingHandler.Event;
import org.junit.jupiter.api.Test;

/** The reader's logic without sockets: dumps, DUMP_INTR, the link cache, names, handler calls. */
class EventDispatcherTest {
    private static final int PORT = 4242;

    /** A kernel that records requests and answers link lookups from a map. */
    private static final class FakeKernel implements EventDispatcher.Kernel {
        final List<int[]> dumps = new ArrayList<>();
        final Map<Integer, Link> kernelLinks = new HashMap<>();
        final List<Integer> lookups = new ArrayList<>();
        final List<Long> retries = new ArrayList<>();

        @Override
        public int portId() {
            return PORT;
        }

        @Override
        public void sendDump(int type, int seq) {
            dumps.add(new int[] {type, seq});
        }

        @Override
        public Link lookupLink(int ifindex) {
            lookups.add(ifindex);
            return kernelLinks.get(ifindex);
        }

        @Override
        public void retryDumpLater(long delayMillis) {
            retries.add(delayMillis);
        }

        int lastSeq(int type) {
            int[] last = dumps.get(dumps.size() - 1);
            assertEquals(type, last[0], "last dump request type");
            return last[1];
        }
    }

    private final FakeKernel kernel = new FakeKernel();
    private final RecordingHandler handler = new RecordingHandler();
    private final NetlinkCounters counters = new NetlinkCounters();
    private final EventDispatcher dispatcher = new EventDispatcher("test", handler, counters, kernel);

    private static byte[] newLink(int flags, int seq, int index, String name) {
        return message(RTM_NEWLINK, flags, seq, PORT, Wire.ifinfomsg(0, index), attr(3, Wire.cstring(name)));
    }

    private static byte[] neighbor(int flags, int seq, int family, int ifindex, byte[] ip) {
        return message(RTM_NEWNEIGH, flags, seq, PORT, Wire.ndmsg(family, ifindex, NudState.REACHABLE, 0, 1),
                attr(1, ip), attr(2, mac(2, 0, 0, 0, 0, ip[ip.length - 1])));
    }

    private static byte[] done(int seq, int flags) {
        return message(NLMSG_DONE, NLM_F_MULTI | flags, seq, PORT, Wire.int32(0));
    }

    private void feed(ByteBuffer datagram) {
        dispatcher.onDatagram(datagram, datagram.capacity(), datagram.capacity());
    }

    private List<Event> events() {
        List<Event> out = new ArrayList<>();
        handler.events.drainTo(out);
        return out;
    }

    /** Runs a link dump with the given links and leaves the neighbor dump open; returns its seq. */
    private int linkDump(byte[]... links) {
        int seq = kernel.lastSeq(RTM_GETLINK);
        List<byte[]> parts = new ArrayList<>(List.of(links));
        parts.add(done(seq, 0));
        feed(datagram(parts.toArray(new byte[0][])));
        return kernel.lastSeq(RTM_GETNEIGH);
    }

    @Test
    void givenThirtyTwoNeighborMessagesWhenDispatchedThenOneInSixteenHasItsDecodeTimed() {
        // given a link the messages name
        feed(datagram(newLink(0, 0, 4, "veth0")));
        // when 32 RTM_NEWNEIGH arrive, one per datagram
        for (int i = 1; i <= 32; i++) {
            feed(datagram(neighbor(0, 0, Family.AF_INET, 4, ipv4(10, 0, 1, i))));
        }
        // then the decode histogram holds two samples of a positive duration, and the read none (no socket here)
        StageHistogram decode = counters.stages().get(1);
        assertEquals(Stage.DECODE, decode.stage());
        assertEquals(NetlinkCounters.DECODE_SAMPLE_EVERY, decode.sampleEvery());
        assertEquals(2, decode.count());
        assertTrue(decode.sumNanos() > 0, decode::toString);
        assertEquals(Stage.NETLINK_READ, counters.stages().get(0).stage());
        assertEquals(0, counters.stages().get(0).count());
        assertEquals(32, events().size());
    }

    @Test
    void dumpsLinksThenNeighborsAndCompletes() {
        // given a started dump
        dispatcher.startDump();

        // when the link dump answers with veth0 and the neighbor dump with one neighbor on it
        int neighSeq = linkDump(newLink(NLM_F_MULTI, kernel.lastSeq(RTM_GETLINK), 4, "veth0"));
        feed(datagram(neighbor(NLM_F_MULTI, neighSeq, Family.AF_INET, 4, ipv4(10, 0, 0, 2)), done(neighSeq, 0)));

        // then the handler sees the dump framed, with the name from the link cache, and nothing was looked up
        List<Event> ev = events();
        assertEquals(List.of(DUMP_STARTED, NEIGHBOR, DUMP_COMPLETED), kinds(ev));
        assertEquals("veth0:10.0.0.2", ev.get(1).message().key().toString());
        assertTrue(kernel.lookups.isEmpty());
        assertEquals(EventDispatcher.Phase.IDLE, dispatcher.phase());
        assertEquals(1, counters.dumpsCompleted.get());
    }

    @Test
    void redoesTheNeighborDumpWhenTheKernelFlagsItInterrupted() {
        // given a neighbor dump under way
        dispatcher.startDump();
        int seq = linkDump(newLink(NLM_F_MULTI, kernel.lastSeq(RTM_GETLINK), 4, "veth0"));

        // when a part of it carries NLM_F_DUMP_INTR
        feed(datagram(neighbor(NLM_F_MULTI | NLM_F_DUMP_INTR, seq, Family.AF_INET, 4, ipv4(10, 0, 0, 2)),
                done(seq, NLM_F_DUMP_INTR)));

        // then it is not completed but started again with a new request
        assertEquals(List.of(DUMP_STARTED, NEIGHBOR, DUMP_STARTED), kinds(events()));
        int again = kernel.lastSeq(RTM_GETNEIGH);
        assertTrue(again != seq);
        assertEquals(1, counters.dumpsInterrupted.get());

        // and when the second attempt is clean, it completes
        feed(datagram(neighbor(NLM_F_MULTI, again, Family.AF_INET, 4, ipv4(10, 0, 0, 2)), done(again, 0)));
        assertEquals(List.of(NEIGHBOR, DUMP_COMPLETED), kinds(events()));
    }

    @Test
    void redoesTheLinkDumpWhenItIsInterrupted() {
        // given a link dump under way
        dispatcher.startDump();
        int seq = kernel.lastSeq(RTM_GETLINK);

        // when it ends flagged NLM_F_DUMP_INTR
        feed(datagram(newLink(NLM_F_MULTI | NLM_F_DUMP_INTR, seq, 4, "veth0"), done(seq, NLM_F_DUMP_INTR)));

        // then the link dump is requested again and no neighbor dump has started
        assertEquals(2, kernel.dumps.size());
        assertTrue(kernel.lastSeq(RTM_GETLINK) != seq);
        assertTrue(events().isEmpty());
    }

    @Test
    void ignoresDoneAndErrorsOfOtherRequests() {
        // given a neighbor dump under way
        dispatcher.startDump();
        int seq = linkDump();
        events();

        // when a DONE and an error with another sequence number (or another port) arrive
        feed(datagram(done(seq + 100, 0), message(NLMSG_DONE, NLM_F_MULTI, seq, PORT + 1, Wire.int32(0)),
                message(NLMSG_ERROR, 0, seq + 100, PORT, Wire.int32(-16))));

        // then the dump is still running
        assertTrue(events().isEmpty());
        assertEquals(EventDispatcher.Phase.NEIGHBORS, dispatcher.phase());
        assertTrue(kernel.retries.isEmpty());
    }

    @Test
    void retriesADumpTheKernelRefused() {
        // given a neighbor dump under way
        dispatcher.startDump();
        int seq = linkDump();

        // when the kernel answers the request with an error
        feed(datagram(message(NLMSG_ERROR, 0, seq, PORT, Wire.int32(-16))));

        // then the dispatcher is idle and asked for a retry later
        assertEquals(EventDispatcher.Phase.IDLE, dispatcher.phase());
        assertEquals(1, kernel.retries.size());
        assertEquals(1, counters.dumpsFailed.get());
    }

    @Test
    void looksUpAnUnknownIndexOnceThenCachesOrFallsBackToTheNumber() {
        // given a kernel that knows ifindex 8 as eth8 but not ifindex 7
        kernel.kernelLinks.put(8, new Link(0, 8, "eth8", 0, null, Link.IFF_UP));

        // when live neighbors arrive on 8 twice and on 7 twice
        feed(datagram(neighbor(0, 0, Family.AF_INET, 8, ipv4(10, 0, 0, 1)),
                neighbor(0, 0, Family.AF_INET, 8, ipv4(10, 0, 0, 2)),
                neighbor(0, 0, Family.AF_INET6, 7, new byte[] {0x20, 1, 0xd, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 1}),
                neighbor(0, 0, Family.AF_INET, 7, ipv4(10, 0, 0, 3))));

        // then 8 is looked up once and named, 7 is looked up for each message and named "7"
        List<Event> ev = events();
        assertEquals("eth8", ev.get(0).message().ifname());
        assertEquals("eth8", ev.get(1).message().ifname());
        assertEquals("7", ev.get(2).message().ifname());
        assertEquals("7:10.0.0.3", ev.get(3).message().key().toString());
        assertEquals(List.of(8, 7, 7), kernel.lookups);
        assertEquals(1, counters.linkLookupsFound.get());
        assertEquals(2, counters.linkLookupsMissed.get());
    }

    @Test
    void doesNotLookUpNamesForNonIpFamilies() {
        // given an unknown ifindex
        // when an AF_BRIDGE neighbor arrives on it
        byte[] fdb = message(RTM_NEWNEIGH, 0, 0, 0, Wire.ndmsg(7, 33, NudState.NOARP, 2, 1),
                attr(2, mac(2, 0, 0, 0, 0, 9)));
        feed(datagram(fdb));

        // then it is delivered named by its index, without a kernel lookup
        NeighborMessage m = events().get(0).message();
        assertEquals(7, m.addressFamily());
        assertEquals("33", m.ifname());
        assertTrue(kernel.lookups.isEmpty());
    }

    @Test
    void tellsTheHandlerWhenALinkIsDeletedAndForgetsIt() {
        // given veth0 in the cache
        feed(datagram(newLink(0, 0, 4, "veth0")));

        // when RTM_DELLINK for it arrives (without a name), then a neighbor on index 4
        feed(datagram(message(RTM_DELLINK, 0, 0, 0, Wire.ifinfomsg(0, 4))));
        feed(datagram(neighbor(0, 0, Family.AF_INET, 4, ipv4(10, 0, 0, 2))));

        // then the handler hears the removal by the cached name, and the index is no longer known
        List<Event> ev = events();
        assertEquals(LINK_REMOVED, ev.get(0).kind());
        assertEquals(4, ev.get(0).ifindex());
        assertEquals("veth0", ev.get(0).ifname());
        assertEquals("4", ev.get(1).message().ifname());
        assertEquals(List.of(4), kernel.lookups);
    }

    @Test
    void ignoresBridgePortLinkMessages() {
        // given veth1 in the cache
        feed(datagram(newLink(0, 0, 3, "veth1")));

        // when the bridge says (AF_BRIDGE) that veth1 left it, and sends a nameless AF_BRIDGE NEWLINK
        feed(datagram(message(RTM_DELLINK, 0, 0, 0, Wire.ifinfomsg(7, 3), attr(3, Wire.cstring("veth1"))),
                message(RTM_NEWLINK, 0, 0, 0, Wire.ifinfomsg(7, 3))));

        // then no link was removed and the name is still known
        assertTrue(events().isEmpty());
        assertEquals("veth1", dispatcher.link(3).name());
    }

    @Test
    void updatesTheCacheOnRename() {
        // given eth0 at index 5
        feed(datagram(newLink(0, 0, 5, "eth0")));

        // when the link is renamed
        feed(datagram(newLink(0, 0, 5, "Ethernet0")));
        feed(datagram(neighbor(0, 0, Family.AF_INET, 5, ipv4(10, 0, 0, 5))));

        // then neighbors carry the new name
        assertEquals("Ethernet0:10.0.0.5", events().get(0).message().key().toString());
    }

    @Test
    void removesLinksALaterLinkDumpNoLongerShows() {
        // given a completed dump that saw veth0 (4) and veth9 (9)
        dispatcher.startDump();
        int gl = kernel.lastSeq(RTM_GETLINK);
        int seq = linkDump(newLink(NLM_F_MULTI, gl, 4, "veth0"), newLink(NLM_F_MULTI, gl, 9, "veth9"));
        feed(datagram(done(seq, 0)));
        events();

        // when the next dump's link part shows only veth0 (veth9's RTM_DELLINK was lost)
        dispatcher.startDump();
        gl = kernel.lastSeq(RTM_GETLINK);
        linkDump(newLink(NLM_F_MULTI, gl, 4, "veth0"));

        // then veth9 is reported removed before the neighbor dump starts
        List<Event> ev = events();
        assertEquals(List.of(LINK_REMOVED, DUMP_STARTED), kinds(ev));
        assertEquals("veth9", ev.get(0).ifname());
    }

    @Test
    void keepsDeliveringWhenTheHandlerThrows() {
        // given a handler that throws on its first neighbor
        RecordingHandler throwing = new RecordingHandler() {
            private boolean thrown;

            @Override
            public void onNeighbor(NeighborMessage message) {
                if (!thrown) {
                    thrown = true;
                    throw new IllegalStateException("boom");
                }
                super.onNeighbor(message);
            }
        };
        EventDispatcher d = new EventDispatcher("test", throwing, counters, kernel);

        // when two neighbors arrive in one datagram
        ByteBuffer b = datagram(neighbor(0, 0, 7, 1, ipv4(1, 1, 1, 1)), neighbor(0, 0, 7, 1, ipv4(1, 1, 1, 2)));
        d.onDatagram(b, b.capacity(), b.capacity());

        // then the second is delivered and the failure counted
        assertEquals(1, throwing.events.size());
        assertEquals(1, counters.handlerErrors.get());
    }

    @Test
    void aCutDatagramIsAnOverflowAndSpoilsTheRunningDump() {
        // given a neighbor dump under way
        dispatcher.startDump();
        int seq = linkDump();
        events();

        // when a datagram arrives longer than the buffer held (its tail lost), then the dump ends
        ByteBuffer b = datagram(neighbor(NLM_F_MULTI, seq, Family.AF_INET, 4, ipv4(10, 0, 0, 2)));
        dispatcher.onDatagram(b, b.capacity(), b.capacity() + 5000L);
        feed(datagram(done(seq, 0)));

        // then the handler hears of the loss and the dump is redone rather than completed
        assertEquals(List.of(NEIGHBOR, OVERFLOW, DUMP_STARTED), kinds(events()));
        assertEquals(1, counters.overflows.get());
        assertEquals(1, counters.snapshot().get("malformed.datagram_truncated"));
    }

    @Test
    void namesTheDeletesOfALinksNeighborsFromTheCapturedSequence() {
        // given the link cache filled from the captured link dump (fed as live messages)
        for (ByteBuffer d : Fixtures.load("link-dump")) {
            feed(d);
        }
        events();

        // when the datagrams the kernel sent for `ip link del veth0` arrive
        for (ByteBuffer d : Fixtures.load("link-del-sequence")) {
            feed(d);
        }

        // then the neighbors on veth0 are deleted by name, and then veth0 (4) is reported removed
        List<Event> ev = events();
        int removed = -1;
        List<String> deletedOnVeth0 = new ArrayList<>();
        for (int i = 0; i < ev.size(); i++) {
            Event e = ev.get(i);
            if (e.is(LINK_REMOVED) && e.ifindex() == 4) {
                assertEquals("veth0", e.ifname());
                removed = i;
            } else if (e.is(NEIGHBOR) && e.message().deleted() && e.message().ifindex() == 4) {
                assertTrue(removed < 0, "a delete after the link removal: " + ev);
                assertEquals("veth0", e.message().ifname());
                if (e.message().address() != null) {
                    deletedOnVeth0.add(e.message().address().toString());
                }
            }
        }
        assertTrue(removed > 0, ev::toString);
        assertTrue(deletedOnVeth0.containsAll(List.of("10.0.0.2", "2001:db8::2", "10.0.0.3")), deletedOnVeth0::toString);
        assertTrue(kernel.lookups.isEmpty(), "no lookups: " + kernel.lookups);
        assertEquals(0, counters.snapshot().entrySet().stream()
                .filter(e -> e.getKey().startsWith("malformed.")).mapToLong(Map.Entry::getValue).sum());
    }

    private static List<Event.Kind> kinds(List<Event> events) {
        List<Event.Kind> out = new ArrayList<>();
        for (Event e : events) {
            out.add(e.kind());
        }
        return out;
    }

    private static byte[] link(int type, int flags, int seq, int index, String name, String kind, int master) {
        return message(type, flags, seq, PORT, Wire.ifinfomsg(0, index), attr(3, Wire.cstring(name)),
                attr(NetlinkCodec.IFLA_LINKINFO | 0x8000, attr(NetlinkCodec.IFLA_INFO_KIND, Wire.cstring(kind))),
                attr(NetlinkCodec.IFLA_MASTER, Wire.int32(master)));
    }

    @Test
    void theKernelVrfsFollowTheLinkCacheFromTheLinkDumpOn() {
        // given a listener, and a link dump with a VRF device, a port in it, one in a bridge and one alone
        List<VrfBindings> heard = new ArrayList<>();
        dispatcher.vrfListener(heard::add);
        dispatcher.startDump();
        linkDump(link(RTM_NEWLINK, NLM_F_MULTI, kernel.lastSeq(RTM_GETLINK), 9, "Vrf-red", "vrf", 0),
                link(RTM_NEWLINK, NLM_F_MULTI, kernel.lastSeq(RTM_GETLINK), 4, "Ethernet0", "veth", 9),
                link(RTM_NEWLINK, NLM_F_MULTI, kernel.lastSeq(RTM_GETLINK), 6, "Bridge", "bridge", 0),
                link(RTM_NEWLINK, NLM_F_MULTI, kernel.lastSeq(RTM_GETLINK), 7, "Ethernet8", "veth", 6),
                link(RTM_NEWLINK, NLM_F_MULTI, kernel.lastSeq(RTM_GETLINK), 5, "Ethernet4", "veth", 0));
        // then once for the whole dump
        assertEquals(List.of(VrfBindings.of(Set.of("Vrf-red"), Map.of("Ethernet0", "Vrf-red"))), heard);
        // when a port moves into the VRF, then out of it
        feed(datagram(link(RTM_NEWLINK, 0, 0, 5, "Ethernet4", "veth", 9)));
        feed(datagram(link(RTM_NEWLINK, 0, 0, 4, "Ethernet0", "veth", 0)));
        // and the VRF device goes
        feed(datagram(link(RTM_DELLINK, 0, 0, 9, "Vrf-red", "vrf", 0)));
        // then each change is heard as the whole cache shows it
        assertEquals(List.of(VrfBindings.of(Set.of("Vrf-red"), Map.of("Ethernet0", "Vrf-red")),
                VrfBindings.of(Set.of("Vrf-red"), Map.of("Ethernet0", "Vrf-red", "Ethernet4", "Vrf-red")),
                VrfBindings.of(Set.of("Vrf-red"), Map.of("Ethernet4", "Vrf-red")),
                VrfBindings.NONE), heard);
    }
}
