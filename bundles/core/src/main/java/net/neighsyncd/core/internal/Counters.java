package net.neighsyncd.core.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Named monotonic counters, safe to bump from any thread. */
final class Counters {
    static final String MESSAGES = "messages";
    static final String DUMPS = "dumps.completed";
    static final String OVERFLOWS = "netlink.overflows";
    static final String RESYNCS_AFTER_OVERFLOW = "resyncs.after_overflow";
    static final String LINKS_REMOVED = "links.removed";
    static final String CHANGES_SET = "changes.set";
    static final String CHANGES_DELETE = "changes.delete";
    static final String WRITTEN_SET = "written.set";
    static final String WRITTEN_DELETE = "written.delete";
    static final String SINK_ERRORS = "sink.errors";
    static final String STATE_READS = "sink.state.reads";
    static final String DROPPED_PREFIX = "dropped.";

    private final Map<String, LongAdder> values = new ConcurrentHashMap<>();

    void add(String name, long n) {
        values.computeIfAbsent(name, k -> new LongAdder()).add(n);
    }

    void increment(String name) {
        add(name, 1);
    }

    void dropped(DropReason reason) {
        increment(DROPPED_PREFIX + reason.label());
    }

    long get(String name) {
        LongAdder a = values.get(name);
        return a == null ? 0 : a.sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
