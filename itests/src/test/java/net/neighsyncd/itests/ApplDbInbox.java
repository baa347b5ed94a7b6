package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;
import net.neighsyncd.testsupport.RedisServer;

/**
 * What orchagent receives from NEIGH_TABLE: an {@link OrchagentConsumer} (woken once per channel
 * message, one pop of at most 128 keys per wake-up) kept per key, with marker neighbors (on one
 * interface of the namespace) to show that nothing else was written. Start it before the daemon
 * writes (its SCARD count at subscription covers what is pending then anyway).
 */
final class ApplDbInbox implements AutoCloseable {
    private final OrchagentConsumer consumer;
    private final Netns ns;
    private final String markerIfname;
    private final Duration wait;
    private final Map<String, Deque<Entry>> inbox = new LinkedHashMap<>();
    private int markers;

    private ApplDbInbox(OrchagentConsumer consumer, Netns ns, String markerIfname, Duration wait) {
        this.consumer = consumer;
        this.ns = ns;
        this.markerIfname = markerIfname;
        this.wait = wait;
    }

    /** Subscribes orchagent's consumer to NEIGH_TABLE in database 0 of {@code redis}. */
    static ApplDbInbox start(RedisServer redis, Netns ns, String markerIfname, Duration wait) {
        return new ApplDbInbox(OrchagentConsumer.start(redis, 0, "NEIGH_TABLE"), ns, markerIfname, wait);
    }

    /**
     * Adds a permanent IPv4 neighbor in this inbox's namespace and returns once its set arrives,
     * checking it is that set.
     */
    void addNeighborAndReceiveIt(String ifname, String ip, String mac) throws Exception {
        ns.exec("neigh", "replace", ip, "lladdr", mac, "dev", ifname, "nud", "permanent");
        assertEquals(set(ifname + ":" + ip, mac, "IPv4"), next(ifname + ":" + ip));
    }

    /**
     * Adds a permanent IPv4 neighbor on {@code ifname} in each inbox's namespace (the i-th address
     * and MAC in the i-th), all before any is checked; then each inbox must receive its own set
     * and nothing else: what a change in one namespace must do to each one's orchagent.
     */
    static void eachReceivesOnlyItsOwn(List<ApplDbInbox> inboxes, String ifname, List<String> ips, List<String> macs)
            throws Exception {
        for (int i = 0; i < inboxes.size(); i++) {
            inboxes.get(i).ns.exec("neigh", "replace", ips.get(i), "lladdr", macs.get(i), "dev", ifname, "nud",
                    "permanent");
        }
        for (int i = 0; i < inboxes.size(); i++) {
            assertEquals(set(ifname + ":" + ips.get(i), macs.get(i), "IPv4"), inboxes.get(i).next(ifname + ":" + ips.get(i)));
        }
        for (ApplDbInbox inbox : inboxes) {
            inbox.assertNothingElseWritten();
        }
    }

    static Entry set(String key, String mac, String family) {
        return new Entry(key, Map.of("neigh", mac, "family", family), false);
    }

    OrchagentConsumer consumer() {
        return consumer;
    }

    /** The next thing the consumer receives for {@code key}. */
    Entry next(String key) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        drain();
        while (inbox.getOrDefault(key, new ArrayDeque<>()).isEmpty()) {
            Entry e;
            try {
                e = consumer.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (AssertionError timeout) {
                throw new AssertionError("no APPL_DB change for " + key + " within " + wait.toMillis() + " ms: "
                        + timeout.getMessage(), timeout);
            }
            add(e);
        }
        return inbox.get(key).poll();
    }

    /**
     * Nothing was written beyond what the test has taken with {@link #next}: a marker neighbor
     * added after everything the test did arrives, the consumer then handles every wake-up it
     * got, and no other key came before or with it.
     */
    void assertNothingElseWritten() throws Exception {
        assertEquals(List.of(), everythingBeforeAMarker(), "writes other than the marker");
    }

    /**
     * Nothing was written for {@code key} (beyond what the test has taken): as above, looking at
     * that key only; what came for other keys stays in the inbox.
     */
    void assertNothingWrittenFor(String key) throws Exception {
        String ip = markerArrived();
        assertEquals(List.of(), new ArrayList<>(inbox.getOrDefault(key, new ArrayDeque<>())), "writes for " + key);
        removeMarker(ip);
    }

    /**
     * Everything received apart from markers until a marker added now has arrived (and every
     * wake-up by then was handled), taken out of the inbox; call it once the changes looked for
     * have started to arrive.
     */
    List<Entry> everythingBeforeAMarker() throws Exception {
        String ip = markerArrived();
        String marker = markerIfname + ":" + ip;
        List<Entry> received = new ArrayList<>();
        inbox.forEach((k, q) -> {
            if (!k.equals(marker)) {
                received.addAll(q);
                q.clear();
            }
        });
        removeMarker(ip);
        return received;
    }

    /** Adds a marker neighbor, takes its set, and waits until the consumer handled every wake-up it got by then. */
    private String markerArrived() throws Exception {
        String ip = "10.250.0." + (++markers);
        ns.exec("neigh", "replace", ip, "lladdr", "02:00:00:00:fa:01", "dev", markerIfname, "nud", "permanent");
        next(markerIfname + ":" + ip);
        consumer.awaitIdle(wait);
        drain();
        return ip;
    }

    private void removeMarker(String ip) throws Exception {
        ns.exec("neigh", "del", ip, "dev", markerIfname);
        // the kernel may report FAILED before the delete; on a dual-ToR switch that is a zero-MAC set first
        while (!next(markerIfname + ":" + ip).isDelete()) {
            continue;
        }
    }

    /** How many entries are in the inbox, not taken yet. */
    int size() {
        drain();
        return inbox.values().stream().mapToInt(Deque::size).sum();
    }

    /** Forgets everything received so far, once every wake-up the consumer got by now is handled. */
    void clear() throws InterruptedException {
        consumer.awaitIdle(wait);
        drain();
        inbox.clear();
    }

    private void drain() {
        consumer.takeAll().forEach(this::add);
    }

    private void add(Entry e) {
        inbox.computeIfAbsent(e.key(), k -> new ArrayDeque<>()).add(e);
    }

    @Override
    public void close() throws InterruptedException {
        consumer.close();
    }
}
