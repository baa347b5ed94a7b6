package net.neighsyncd.netlink.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import net.neighsyncd.api.profiling.Stage;
import net.neighsyncd.api.profiling.StageHistogram;
import net.neighsyncd.stagetimer.StageRecorder;

/**
 * Counters of one netlink source. Written by its reader thread, read by anyone. Names:
 * {@code messages.<type>} (newneigh, delneigh, newlink, dellink, done, error, noop, overrun,
 * other), {@code malformed.<reason>}, {@code datagrams}, {@code overflows}, {@code recv.errors},
 * {@code linklookups.found}, {@code linklookups.missed}, {@code dumps.started},
 * {@code dumps.completed}, {@code dumps.interrupted}, {@code dumps.failed}, {@code dumps.stalled},
 * {@code handler.errors}, {@code reader.starts}, {@code reader.errors}, and the gauge
 * {@code socket.rcvbuf.bytes} (the receive buffer size the kernel reports).
 */
final class NetlinkCounters {
    private static final String[] TYPE_NAMES = {
        "newneigh", "delneigh", "newlink", "dellink", "done", "error", "noop", "overrun", "other"
    };
    /** The message types counted, as in {@code messages.<type>}. */
    static final List<String> MESSAGE_TYPES = List.of(TYPE_NAMES);

    private final AtomicLongArray messages = new AtomicLongArray(TYPE_NAMES.length);
    private final AtomicLongArray malformed = new AtomicLongArray(Malformed.values().length);
    final AtomicLong datagrams = new AtomicLong();
    final AtomicLong overflows = new AtomicLong();
    final AtomicLong recvErrors = new AtomicLong();
    final AtomicLong linkLookupsFound = new AtomicLong();
    final AtomicLong linkLookupsMissed = new AtomicLong();
    final AtomicLong dumpsStarted = new AtomicLong();
    final AtomicLong dumpsCompleted = new AtomicLong();
    final AtomicLong dumpsInterrupted = new AtomicLong();
    final AtomicLong dumpsFailed = new AtomicLong();
    final AtomicLong dumpsStalled = new AtomicLong();
    final AtomicLong handlerErrors = new AtomicLong();
    final AtomicLong readerStarts = new AtomicLong();
    final AtomicLong readerErrors = new AtomicLong();
    final AtomicLong namespaceLosses = new AtomicLong();
    final AtomicLong receiveBufferBytes = new AtomicLong();
    /** One neighbor message in this many has its decode timed: the decode takes a few clocks' reads. */
    static final int DECODE_SAMPLE_EVERY = 16;
    /** Every {@code recvmsg} that returned a datagram, timed (a system call: one more clock read is little). */
    final StageRecorder read = new StageRecorder(Stage.NETLINK_READ, 1);
    /** {@code decodeNeighbor}, one message in {@link #DECODE_SAMPLE_EVERY}. */
    final StageRecorder decode = new StageRecorder(Stage.DECODE, DECODE_SAMPLE_EVERY);

    void message(int type) {
        messages.incrementAndGet(slot(type));
    }

    void malformed(Malformed reason) {
        malformed.incrementAndGet(reason.ordinal());
    }

    /** Messages received of one of {@link #MESSAGE_TYPES}. */
    long messageCount(String type) {
        int i = MESSAGE_TYPES.indexOf(type);
        if (i < 0) {
            throw new IllegalArgumentException("no message type " + type);
        }
        return messages.get(i);
    }

    /** Messages (or datagram tails) skipped for {@code reason}. */
    long malformedCount(Malformed reason) {
        return malformed.get(reason.ordinal());
    }

    /** All counters by name, sorted. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        for (int i = 0; i < TYPE_NAMES.length; i++) {
            m.put("messages." + TYPE_NAMES[i], messages.get(i));
        }
        for (Malformed r : Malformed.values()) {
            m.put(r.counterName(), malformed.get(r.ordinal()));
        }
        m.put("datagrams", datagrams.get());
        m.put("overflows", overflows.get());
        m.put("recv.errors", recvErrors.get());
        m.put("linklookups.found", linkLookupsFound.get());
        m.put("linklookups.missed", linkLookupsMissed.get());
        m.put("dumps.started", dumpsStarted.get());
        m.put("dumps.completed", dumpsCompleted.get());
        m.put("dumps.interrupted", dumpsInterrupted.get());
        m.put("dumps.failed", dumpsFailed.get());
        m.put("dumps.stalled", dumpsStalled.get());
        m.put("handler.errors", handlerErrors.get());
        m.put("reader.starts", readerStarts.get());
        m.put("reader.errors", readerErrors.get());
        m.put("socket.rcvbuf.bytes", receiveBufferBytes.get());
        return m;
    }

    private static int slot(int type) {
        switch (type) {
            case NetlinkCodec.RTM_NEWNEIGH:
                return 0;
            case NetlinkCodec.RTM_DELNEIGH:
                return 1;
            case NetlinkCodec.RTM_NEWLINK:
                return 2;
            case NetlinkCodec.RTM_DELLINK:
                return 3;
            case NetlinkCodec.NLMSG_DONE:
                return 4;
            case NetlinkCodec.NLMSG_ERROR:
                return 5;
            case NetlinkCodec.NLMSG_NOOP:
                return 6;
            case NetlinkCodec.NLMSG_OVERRUN:
                return 7;
            default:
                return 8;
        }
    }

    /** The stage histograms of this source: netlink read and decode. */
    List<StageHistogram> stages() {
        return List.of(read.snapshot(), decode.snapshot());
    }
}
