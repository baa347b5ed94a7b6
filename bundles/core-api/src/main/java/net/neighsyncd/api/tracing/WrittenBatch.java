package net.neighsyncd.api.tracing;

import java.util.List;
import java.util.Objects;

/**
 * One call of a sink's {@code apply}, as its writer saw it. Every time is a {@link System#nanoTime()}
 * value of this JVM: comparable with each other, not a wall-clock time.
 *
 * @param sink         the writer's name: {@code APPL_DB} for the APPL_DB sink, else the sink's class
 *                     and service id
 * @param takenNanos   when the writer took the batch's changes from its outbox
 * @param startedNanos when the sink call began
 * @param endedNanos   when it returned or threw
 * @param changes      the changes of the call, in the order the sink got them
 * @param failure      why the call failed (the exception's text), {@code null} when it succeeded; a
 *                     failed batch is retried and comes again
 */
public record WrittenBatch(String sink, long takenNanos, long startedNanos, long endedNanos,
        List<TracedChange> changes, String failure) {

    public WrittenBatch {
        Objects.requireNonNull(sink, "sink");
        changes = List.copyOf(changes);
    }

    /** True when the sink took the batch. */
    public boolean succeeded() {
        return failure == null;
    }
}
