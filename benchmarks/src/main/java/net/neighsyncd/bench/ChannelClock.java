package net.neighsyncd.bench;

import net.neighsyncd.testsupport.OrchagentConsumer;

/**
 * When the consumer read the first and the {@code expected}-th channel message of a run, timed
 * on the consumer's subscriber thread as each message is read ({@link System#nanoTime()}): the
 * daemon publishes one message per new key, right after writing it, so these are when the first
 * and the last key of the run were written, as the consumer learnt of them.
 */
final class ChannelClock implements OrchagentConsumer.MessageListener {
    private final long before;
    private final long expected;
    private volatile long firstNanos;
    private volatile long lastNanos;

    /** Counts the messages after the consumer's {@code wakeUpsBefore} (initial wake-ups included). */
    private ChannelClock(long wakeUpsBefore, long expected) {
        this.before = wakeUpsBefore;
        this.expected = expected;
    }

    /** Listens to {@code consumer} from now on, for {@code expected} messages after those it has had. */
    static ChannelClock listen(OrchagentConsumer consumer, long expected) {
        ChannelClock clock = new ChannelClock(consumer.wakeUpsReceived(), expected);
        consumer.setMessageListener(clock);
        return clock;
    }

    @Override
    public void messageReceived(long wakeUpsReceived, long nanoTime) {
        long k = wakeUpsReceived - before;
        if (k == 1) {
            firstNanos = nanoTime;
        }
        if (k == expected) {
            lastNanos = nanoTime;
        }
    }

    /** When the first message was read; 0 before it was. */
    long firstNanos() {
        return firstNanos;
    }

    /** When the {@code expected}-th message was read; 0 before it was. */
    long lastNanos() {
        return lastNanos;
    }
}
