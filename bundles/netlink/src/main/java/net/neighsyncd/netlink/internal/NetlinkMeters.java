package net.neighsyncd.netlink.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.neighsyncd.api.metrics.MeterSource;
import net.neighsyncd.api.metrics.MeterSpec;

/**
 * The meters of one netlink source, read from its {@link NetlinkCounters}. Its overflows are not
 * here: the core exports them as {@code neighsyncd.netlink.overflows}.
 */
final class NetlinkMeters implements MeterSource {
    private final List<MeterSpec> meters;

    NetlinkMeters(NetlinkCounters counters) {
        List<MeterSpec> m = new ArrayList<>();
        for (String type : NetlinkCounters.MESSAGE_TYPES) {
            m.add(MeterSpec.counter("neighsyncd.netlink.messages", "Netlink messages received, by message type",
                    Map.of("type", type), () -> counters.messageCount(type)));
        }
        for (Malformed reason : Malformed.values()) {
            m.add(MeterSpec.counter("neighsyncd.netlink.malformed",
                    "Netlink messages (or what was left of a datagram) skipped as malformed, by reason",
                    Map.of("reason", reason.shortName()), () -> counters.malformedCount(reason)));
        }
        m.add(counter("neighsyncd.netlink.datagrams", "Datagrams received on the netlink event socket",
                counters.datagrams));
        dumps(m, "started", counters.dumpsStarted);
        dumps(m, "completed", counters.dumpsCompleted);
        dumps(m, "interrupted", counters.dumpsInterrupted);
        dumps(m, "failed", counters.dumpsFailed);
        dumps(m, "stalled", counters.dumpsStalled);
        m.add(counter("neighsyncd.netlink.receive.errors", "Receives on the netlink event socket that failed "
                + "(an overflow, ENOBUFS, is not one): retried after a pause", counters.recvErrors));
        m.add(MeterSpec.counter("neighsyncd.netlink.reader.restarts", "Netlink reader threads started after the "
                + "first one: a change of the configured namespace, or a new subscriber once the last one left",
                null, () -> Math.max(0, counters.readerStarts.get() - 1)));
        m.add(counter("neighsyncd.netlink.namespace.losses", "Times the watched network namespace's name was "
                + "deleted (or given to another namespace): its sockets closed until it exists again",
                counters.namespaceLosses));
        m.add(MeterSpec.gauge("neighsyncd.netlink.receive.buffer", "bytes", "Receive buffer of the netlink event "
                + "socket as the kernel reports it (it doubles the size set); 0 before the socket first opened",
                null, counters.receiveBufferBytes::get));
        meters = List.copyOf(m);
    }

    @Override
    public List<MeterSpec> meters() {
        return meters;
    }

    private static void dumps(List<MeterSpec> m, String result, AtomicLong count) {
        m.add(MeterSpec.counter("neighsyncd.netlink.dumps", "Kernel dumps (links, then neighbors) by result: "
                + "started (neighbor dumps begun, redone ones included), completed (neighbor dumps), interrupted "
                + "(inconsistent, NLM_F_DUMP_INTR: dumped again), failed (an error: dumped again after a pause), "
                + "stalled (the kernel stopped it after an overflow: the socket is reopened, a new dump follows)",
                Map.of("result", result), count::get));
    }

    private static MeterSpec counter(String name, String description, AtomicLong count) {
        return MeterSpec.counter(name, description, null, count::get);
    }
}
