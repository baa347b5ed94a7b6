package net.neighsyncd.core.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.tracing.BatchTracer;

/**
 * The sinks other than APPL_DB's, each with a writer of its own that keeps it equal to the
 * applied view: a sink bound while the engine runs first gets the applied view as sets.
 */
final class OtherSinks {
    private record Bound(SinkWriter writer, WriterTally tally, String name) {
    }

    private final Map<NeighborSink, Bound> sinks = new ConcurrentHashMap<>();
    private volatile BatchTracer tracer;

    /** A new sink's writer, not yet started; {@code name} names it in logs and the status. */
    SinkWriter add(NeighborSink sink, String name, SinkWriter.WriterSettings settings) {
        WriterTally tally = new WriterTally();
        SinkWriter w = new SinkWriter(name, settings, tally, changes -> { });
        w.tracer(tracer);
        w.sink(sink);
        sinks.put(sink, new Bound(w, tally, name));
        return w;
    }

    /** Removes the sink and returns its writer (to be stopped), or null when it was not one of these. */
    SinkWriter remove(NeighborSink sink) {
        Bound b = sinks.remove(sink);
        return b == null ? null : b.writer();
    }

    /** The sinks bound now. */
    java.util.Set<NeighborSink> sinks() {
        return java.util.Set.copyOf(sinks.keySet());
    }

    void offer(NeighborChange change, long readNanos) {
        for (Bound b : sinks.values()) {
            b.writer().offer(change, readNanos);
        }
    }

    void settings(SinkWriter.WriterSettings settings) {
        writers().forEach(w -> w.settings(settings));
    }

    /** The tracer of every writer's batches, this one's and those added later; null: none. */
    void tracer(BatchTracer next) {
        tracer = next;
        writers().forEach(w -> w.tracer(next));
    }

    void startAll() {
        writers().forEach(SinkWriter::start);
    }

    /** Gives each writer up to {@code millis} to write what waits, then stops it. */
    void flushAndStop(long millis) throws InterruptedException {
        for (SinkWriter w : writers()) {
            w.flush(millis, TimeUnit.MILLISECONDS);
            w.stop();
        }
        // stopped writers are not the sinks' any more: a new start makes new ones
        sinks.clear();
    }

    /** Each sink's counters by its name. */
    Map<String, WriterTally> tallies() {
        Map<String, WriterTally> out = new HashMap<>();
        sinks.values().forEach(b -> out.put(b.name(), b.tally()));
        return out;
    }

    private Collection<SinkWriter> writers() {
        return sinks.values().stream().map(Bound::writer).toList();
    }
}
