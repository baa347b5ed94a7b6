package net.neighsyncd.netlink.internal;

import static net.neighsyncd.netlink.internal.NetlinkCodec.RTM_NEWNEIGH;
import static net.neighsyncd.netlink.internal.Wire.attr;
import static net.neighsyncd.netlink.internal.Wire.ipv4;
import static net.neighsyncd.netlink.internal.Wire.mac;
import static net.neighsyncd.netlink.internal.Wire.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.netlink.internal.RecordingHandler.Event;

/**
 * The netlink decoder against bytes the kernel would never send: random datagrams, and datagrams
 * captured from a real kernel ({@code src/test/resources/fixtures}) with bytes flipped, inserted,
 * cut off or lengths overwritten. Whatever comes, no exception escapes the dispatcher, and the
 * next well-formed neighbor message is still delivered: the daemon keeps syncing. An ordinary
 * build runs {@code jqwik.tries.default} inputs per property (see junit-platform.properties); a
 * fuzzing run asks for more with {@code -Djqwik.tries.default=1000000}.
 */
class NetlinkDecoderFuzzTest {
    private static final int PORT = 4242;
    private static final List<byte[]> CAPTURED = captured();
    private static final AtomicLong MALFORMED_SEEN = new AtomicLong();
    private static final AtomicLong INPUTS = new AtomicLong();

    /** A kernel for the dispatcher that knows no links and accepts every request. */
    private static final class QuietKernel implements EventDispatcher.Kernel {
        @Override
        public int portId() {
            return PORT;
        }

        @Override
        public void sendDump(int type, int seq) {
        }

        @Override
        public Link lookupLink(int ifindex) {
            return null;
        }

        @Override
        public void retryDumpLater(long delayMillis) {
        }
    }

    @Property
    void randomDatagramsNeverEscapeTheDecoderAndSyncingGoesOn(@ForAll("randomDatagrams") byte[] datagram,
            @ForAll boolean duringADump) {
        feedThenCheckSyncingGoesOn(datagram, duringADump);
    }

    @Property
    void mutatedCapturedDatagramsNeverEscapeTheDecoderAndSyncingGoesOn(@ForAll("mutatedCaptures") byte[] datagram,
            @ForAll boolean duringADump) {
        feedThenCheckSyncingGoesOn(datagram, duringADump);
    }

    @AfterProperty
    void somethingWasCountedAsMalformed() {
        // across the run, inputs were rejected as malformed rather than silently taken
        assertTrue(INPUTS.get() == 0 || MALFORMED_SEEN.get() > 0, "no input of " + INPUTS.get() + " was malformed");
        System.out.printf("netlink decoder fuzz: %d inputs so far, %d malformed messages counted%n", INPUTS.get(),
                MALFORMED_SEEN.get());
    }

    private static void feedThenCheckSyncingGoesOn(byte[] datagram, boolean duringADump) {
        // given a dispatcher, idle or in a dump
        RecordingHandler handler = new RecordingHandler();
        NetlinkCounters counters = new NetlinkCounters();
        EventDispatcher dispatcher = new EventDispatcher("fuzz", handler, counters, new QuietKernel());
        if (duringADump) {
            dispatcher.startDump();
        }
        long before = malformedTotal(counters);
        // when the datagram comes: no exception may escape
        ByteBuffer buf = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        dispatcher.onDatagram(buf, datagram.length, datagram.length);
        INPUTS.incrementAndGet();
        MALFORMED_SEEN.addAndGet(malformedTotal(counters) - before);
        // and the decoder rejected what it could not read itself: the dispatcher's last-resort catch stayed unused
        assertEquals(0, counters.readerErrors.get(), "the decoder threw on a datagram");
        handler.events.clear();
        // then a well-formed neighbor event is still delivered
        byte[] good = message(RTM_NEWNEIGH, 0, 0, 0, Wire.ndmsg(Family.AF_INET, 7, NudState.REACHABLE, 0, 1),
                attr(1, ipv4(10, 9, 9, 9)), attr(2, mac(2, 0, 0, 0, 9, 9)));
        ByteBuffer next = ByteBuffer.wrap(good).order(ByteOrder.nativeOrder());
        dispatcher.onDatagram(next, good.length, good.length);
        List<Event> events = new ArrayList<>();
        handler.events.drainTo(events);
        List<Event> neighbors = events.stream().filter(e -> e.is(Event.Kind.NEIGHBOR)).toList();
        assertEquals(1, neighbors.size(), "events after the fuzzed datagram: " + events);
        assertEquals("10.9.9.9", neighbors.get(0).message().address().toString());
    }

    private static long malformedTotal(NetlinkCounters counters) {
        long n = 0;
        for (Malformed m : Malformed.values()) {
            n += counters.malformedCount(m);
        }
        return n;
    }

    @Provide
    Arbitrary<byte[]> randomDatagrams() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(600);
    }

    @Provide
    Arbitrary<byte[]> mutatedCaptures() {
        Arbitrary<byte[]> capture = Arbitraries.of(CAPTURED);
        Arbitrary<List<Mutation>> mutations = mutation().list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(capture, mutations).as(NetlinkDecoderFuzzTest::apply);
    }

    /** One change to a datagram: where (a fraction of its length) and what. */
    private record Mutation(int kind, double at, int value) {
    }

    private static Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers()).as(Mutation::new);
    }

    private static byte[] apply(byte[] original, List<Mutation> mutations) {
        byte[] d = original.clone();
        for (Mutation m : mutations) {
            int at = d.length == 0 ? 0 : Math.min(d.length - 1, (int) (m.at() * d.length));
            switch (m.kind()) {
                case 0 -> { // flip one byte
                    if (d.length > 0) {
                        d[at] = (byte) m.value();
                    }
                }
                case 1 -> { // overwrite a 16-bit length-like field with a hostile value
                    if (d.length >= 2) {
                        int i = Math.min(at & ~1, d.length - 2);
                        int v = switch (Math.floorMod(m.value(), 4)) {
                            case 0 -> 0;
                            case 1 -> 3;
                            case 2 -> 0xFFFF;
                            default -> m.value() & 0xFFFF;
                        };
                        d[i] = (byte) v;
                        d[i + 1] = (byte) (v >> 8);
                    }
                }
                case 2 -> { // cut off the end
                    d = java.util.Arrays.copyOf(d, at);
                }
                case 3 -> { // insert a byte
                    byte[] e = new byte[d.length + 1];
                    System.arraycopy(d, 0, e, 0, at);
                    e[at] = (byte) m.value();
                    System.arraycopy(d, at, e, at + 1, d.length - at);
                    d = e;
                }
                default -> { // overwrite a 32-bit word (message length, type and flags, seq, port)
                    if (d.length >= 4) {
                        int i = Math.min(at & ~3, d.length - 4);
                        ByteBuffer.wrap(d, i, 4).order(ByteOrder.nativeOrder()).putInt(m.value());
                    }
                }
            }
        }
        return d;
    }

    private static List<byte[]> captured() {
        List<byte[]> out = new ArrayList<>();
        for (String name : List.of("neigh-dump", "link-dump", "neigh-new-ipv4-permanent", "neigh-new-ipv6-reachable",
                "neigh-del-ipv4", "neigh-new-no-lladdr", "neigh-new-bridge-fdb", "link-del-veth0", "error-enodev")) {
            for (ByteBuffer b : Fixtures.load(name)) {
                byte[] d = new byte[b.remaining()];
                b.duplicate().get(d);
                out.add(d);
            }
        }
        return List.copyOf(out);
    }
}
