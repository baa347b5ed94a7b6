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
import net.neighsyncd.testsupport.ProducerStateTableConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;

/**
 * What orchagent receives from NEIGH_TABLE, popped with a {@link ProducerStateTableConsumer} and
 * kept per key, with marker neighbors (on one interface of the namespace) to show that nothing
 * else was written.
 */
final class ApplDbInbox {
    private final ProducerStateTableConsumer consumer;
    private final Netns ns;
    private final String markerIfname;
    private final Duration wait;
    private final Map<String, Deque<Entry>> inbox = new LinkedHashMap<>();
    private int markers;

    ApplDbInbox(ProducerStateTableConsumer consumer, Netns ns, String markerIfname, Duration wait) {
        this.consumer = consumer;
        this.ns = ns;
        this.markerIfname = markerIfname;
        this.wait = wait;
    }

    static Entry set(String key, String mac, String family) {
        return new Entry(key, Map.of("neigh", mac, "family", family), false);
    }

    /** The next thing the consumer receives for {@code key}. */
    Entry next(String key) throws Exception {
        Wait.until("an APPL_DB change for " + key, wait, () -> {
            drain();
            return !inbox.getOrDefault(key, new ArrayDeque<>()).isEmpty();
        });
        return inbox.get(key).poll();
    }

    /**
     * Nothing was written beyond what the test has taken with {@link #next}: a marker neighbor
     * added after everything the test did arrives, and no other key came before or with it.
     */
    void assertNothingElseWritten() throws Exception {
        String ip = "10.250.0." + (++markers);
        String marker = markerIfname + ":" + ip;
        ns.exec("neigh", "replace", ip, "lladdr", "02:00:00:00:fa:01", "dev", markerIfname, "nud", "permanent");
        next(marker);
        List<Entry> others = new ArrayList<>();
        inbox.forEach((k, q) -> {
            if (!k.equals(marker)) {
                others.addAll(q);
            }
        });
        assertEquals(List.of(), others, "writes other than the marker " + marker);
        ns.exec("neigh", "del", ip, "dev", markerIfname);
        // the kernel may report FAILED before the delete
        while (!next(marker).isDelete()) {
            continue;
        }
    }

    /** Forgets everything received so far. */
    void clear() {
        drain();
        inbox.clear();
    }

    private void drain() {
        for (Entry e : consumer.drainAllNotLikeOrchagent()) {
            inbox.computeIfAbsent(e.key(), k -> new ArrayDeque<>()).add(e);
        }
    }
}
