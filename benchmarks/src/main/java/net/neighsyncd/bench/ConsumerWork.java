package net.neighsyncd.bench;

import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;

/**
 * What the consumer's pop script has run in Redis since this tally began, counted from what it
 * popped: per pop one {@code SPOP}; per key popped one {@code SREM}, one {@code HGETALL}, one
 * {@code DEL} of the pending hash and one more of the applied one when a delete came first; per
 * field one {@code HSET}. {@link RedisCommandStats} subtracts these from the commands the
 * producer's scripts share with the pop script.
 */
final class ConsumerWork {
    private final OrchagentConsumer consumer;
    private final long popsBefore;
    private final long keysBefore;
    private long fields;
    private long deletesFirst;

    private ConsumerWork(OrchagentConsumer consumer) {
        this.consumer = consumer;
        consumer.takeAll(); // entries popped before the tally are not counted
        this.popsBefore = consumer.wakeUpsHandled();
        this.keysBefore = consumer.keysPopped();
    }

    /** A tally from now on; the entries the consumer popped so far are dropped. */
    static ConsumerWork since(OrchagentConsumer consumer) {
        return new ConsumerWork(consumer);
    }

    /** Takes the entries popped since the last call and counts their fields and deletes. */
    void drain() {
        for (Entry e : consumer.takeAll()) {
            fields += e.fields().size();
            if (e.deletedFirst()) {
                deletesFirst++;
            }
        }
    }

    /** Pop script calls (one per wake-up handled, empty pops included). */
    long pops() {
        return consumer.wakeUpsHandled() - popsBefore;
    }

    /** Keys popped. */
    long keys() {
        return consumer.keysPopped() - keysBefore;
    }

    /** {@code HSET} calls of the pop script: the fields of the entries drained. */
    long hsets() {
        return fields;
    }

    /** {@code DEL} calls of the pop script for the entries drained. */
    long dels() {
        return keys() + deletesFirst;
    }
}
