package net.neighsyncd.netlink.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.engine.NeighborEventHandler;
import net.neighsyncd.api.neighbor.NeighborMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The netlink decoder on one RTM_NEWNEIGH datagram as the kernel sends it: the captured fixtures
 * of the netlink bundle's tests ({@code neigh-new-ipv4-permanent}, {@code neigh-new-ipv6-reachable}:
 * ndmsg, NDA_DST, NDA_LLADDR, NDA_PROBES, NDA_CACHEINFO; little-endian, as on the amd64 machine
 * that captured them). One operation is one message.
 *
 * <ul>
 *   <li>{@link #decode}: {@link NetlinkCodec#decodeNeighbor} alone, the interface name from a
 *       resolver that always knows it.</li>
 *   <li>{@link #dispatch}: what the reader thread does with the datagram, the I/O aside:
 *       {@link EventDispatcher#onDatagram} (framing, counters, the decode, the name from the link
 *       cache, the handler call), the handler handing the message to a Blackhole.</li>
 * </ul>
 *
 * In the package of the classes it drives, which are package-private; run it with scripts/jmh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NetlinkDecodeBenchmark {
    /** {@code ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 nud permanent dev veth0}, 76 bytes. */
    private static final String IPV4 = "4c0000001c0000000000000026240000020000000400000080000001080001000a000002"
            + "0a000200020000000002000008000400000000001400030000000000000000000000000001000000";
    /** {@code ip neigh replace 2001:db8::2 lladdr 02:00:00:00:00:06 nud reachable dev veth0}, 88 bytes. */
    private static final String IPV6 = "580000001c000000000000003f2400000a000000040000000200000114000100"
            + "20010db80000000000000000000000020a0002000200000000060000080004000000000014000300000000000000"
            + "00000000000002000000";
    /** The ifindex of both captures. */
    private static final int IFINDEX = 4;

    @Param({"ipv4", "ipv6"})
    public String family;

    private ByteBuffer datagram;
    private int length;
    private EventDispatcher dispatcher;
    private NetlinkCounters counters;
    private ToBlackhole handler;

    private final NetlinkCodec.NameResolver names = (ifindex, addressFamily) -> "Ethernet0";
    private final NetlinkCodec.MalformedListener malformed = (reason, detail) -> {
        throw new IllegalStateException("the captured datagram is malformed: " + reason + " " + detail);
    };

    @Setup
    public void setUp(Blackhole bh) {
        byte[] bytes = HexFormat.of().parseHex("ipv4".equals(family) ? IPV4 : "ipv6".equals(family) ? IPV6 : "");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("family is ipv4 or ipv6, not " + family);
        }
        datagram = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        length = bytes.length;
        counters = new NetlinkCounters();
        handler = new ToBlackhole(bh);
        dispatcher = new EventDispatcher("jmh", handler, counters, new OneLinkKernel());
        // the first message asks the kernel for the link; every later one finds it in the cache
        dispatcher.onDatagram(datagram, length, length);
        if (dispatcher.link(IFINDEX) == null || handler.delivered != 1) {
            throw new IllegalStateException("the dispatcher did not deliver the captured message");
        }
    }

    /** Every datagram dispatched was one well-formed message delivered to the handler, nothing else. */
    @TearDown
    public void check() {
        long datagrams = counters.datagrams.get();
        long problems = counters.handlerErrors.get() + counters.readerErrors.get() + counters.overflows.get()
                + counters.linkLookupsMissed.get();
        for (Malformed m : Malformed.values()) {
            problems += counters.malformedCount(m);
        }
        if (problems != 0 || handler.delivered != datagrams || counters.linkLookupsFound.get() != 1) {
            throw new IllegalStateException("dispatch went wrong: " + counters.snapshot() + ", " + handler.delivered
                    + " messages delivered");
        }
    }

    @Benchmark
    public NeighborMessage decode() {
        return NetlinkCodec.decodeNeighbor(datagram, 0, length, names, malformed);
    }

    @Benchmark
    public void dispatch() {
        dispatcher.onDatagram(datagram, length, length);
    }

    /** A kernel that answers a link lookup with one interface and is never asked for anything else. */
    private static final class OneLinkKernel implements EventDispatcher.Kernel {
        @Override
        public int portId() {
            return 4242;
        }

        @Override
        public void sendDump(int type, int seq) {
            throw new UnsupportedOperationException("no dump in this benchmark");
        }

        @Override
        public Link lookupLink(int ifindex) {
            return new Link(0, ifindex, "Ethernet0", 0, "veth", Link.IFF_UP);
        }

        @Override
        public void retryDumpLater(long delayMillis) {
            throw new UnsupportedOperationException("no dump in this benchmark");
        }
    }

    /** The engine's place: every message goes to the Blackhole, counted; nothing else may come. */
    private static final class ToBlackhole implements NeighborEventHandler {
        private final Blackhole bh;
        long delivered;

        ToBlackhole(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void onNeighbor(NeighborMessage message) {
            delivered++;
            bh.consume(message);
        }

        @Override
        public void onDumpStarted() {
            throw new IllegalStateException("unexpected dump start");
        }

        @Override
        public void onDumpCompleted() {
            throw new IllegalStateException("unexpected dump end");
        }

        @Override
        public void onLinkRemoved(int ifindex, String ifname) {
            throw new IllegalStateException("unexpected link removal");
        }

        @Override
        public void onOverflow() {
            throw new IllegalStateException("unexpected overflow");
        }
    }
}
