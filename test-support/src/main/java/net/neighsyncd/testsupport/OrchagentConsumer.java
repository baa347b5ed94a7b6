package net.neighsyncd.testsupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.jedisunix.UnixSocketJedisFactory;
import net.neighsyncd.testsupport.ProducerStateTableConsumer.Entry;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A consumer of one ProducerStateTable that is woken as SONiC's is: swss-common's
 * {@code ConsumerStateTable} under {@code Select}, the way orchagent runs it
 * (docs/sonic-contract.md §3). Tests assert with it what orchagent would receive, including what it
 * would never receive because no channel message woke it.
 *
 * <ul>
 *   <li>At subscription it starts with one pending wake-up per key in {@code T_KEY_SET}
 *       ({@code SCARD}), counted atomically with the SUBSCRIBE (see below).</li>
 *   <li>Every message on {@code T_CHANNEL@<db>} is one more pending wake-up, whatever it says.</li>
 *   <li>Every wake-up is handled by exactly one pop of at most {@code popBatchSize} keys
 *       ({@link ProducerStateTableConsumer#POP_SCRIPT}, orchagent: 128), also when that pop
 *       finds nothing. Nothing else pops: a key no wake-up is left for stays in the key set.</li>
 * </ul>
 *
 * A subscriber thread reads the channel on a connection of its own and counts the messages; a
 * handler thread pops, one wake-up after the other, on a second connection, and queues what it
 * popped for the test to take ({@link #next}, {@link #awaitKeys}, {@link #takeAll}). The pops of
 * wake-ups already pending are pipelined (only the waiting for replies is saved; each pop is
 * still one script call, run after the previous one).
 * {@link #awaitIdle} is the marker a test waits on instead of a pause: a PING on the subscribed
 * connection, whose reply Redis sends after every message published before it, then until every
 * wake-up counted by then has been handled.
 *
 * <p>Subscription and count: swss-common WATCHes the key set, opens MULTI and queues SCARD on its
 * table connection, SUBSCRIBEs on a new connection, then EXECs, and starts over when the WATCH
 * aborted the EXEC; the count and the subscription thus see the same key set. This class sends
 * {@code MULTI; SCARD T_KEY_SET; SUBSCRIBE T_CHANNEL@db; EXEC} on the subscriber connection
 * itself, which Redis accepts in RESP2 (checked with redis-server 7.0.15: EXEC answers the
 * count and the subscribe confirmation, and the connection then receives messages): both
 * commands run as one, so every key added later is announced by a message this connection
 * receives, and no key counted by SCARD is announced again. Should a server refuse SUBSCRIBE
 * inside MULTI ({@link #subscribedAtomically()} is then false), it subscribes first and counts
 * after the confirmation: a key added in between is counted twice, an extra wake-up that pops
 * nothing or pops early, never one too few.
 *
 * <p>{@link #close()} unsubscribes and ends both threads. If Redis goes away the consumer
 * stops, and the waiting methods throw with the cause.
 */
public final class OrchagentConsumer implements AutoCloseable {
    /** orchagent's pop batch size (swss-common's default). */
    public static final int ORCHAGENT_POP_BATCH_SIZE = ProducerStateTableConsumer.DEFAULT_POP_BATCH_SIZE;

    /** The CLIENT SETNAME of both connections. */
    public static final String CLIENT_NAME = "orchagent-consumer";

    private static final long JOIN_MILLIS = 10_000;

    /** Most pops sent in one pipelined round trip. */
    static final int MAX_POPS_PER_ROUND_TRIP = 256;

    /** How the subscription and the initial count are made; see the class comment. */
    enum Subscription {
        /** {@code MULTI; SCARD; SUBSCRIBE; EXEC}, falling back to {@link #THEN_SCARD} when refused. */
        IN_TRANSACTION,
        /** SUBSCRIBE, then SCARD on the other connection once the subscription is confirmed. */
        THEN_SCARD
    }

    private final Path socket;
    private final int db;
    private final String channel;
    private final int popBatchSize;
    private final SubscriberConnection subscriber;
    private final Jedis popConnection;
    private final ProducerStateTableConsumer popper;
    private final Thread subscriberThread;
    private final Thread handlerThread;
    private final boolean atomic;

    private final Object monitor = new Object();
    private final ArrayDeque<Entry> popped = new ArrayDeque<>();
    private final long initialWakeUps;
    private long received;
    private long handled;
    private long emptyPops;
    private long keysPopped;
    private long pingsSent;
    private long pongs;
    private long receivedAtPong;
    private boolean held;
    private volatile MessageListener messageListener;
    private boolean closing;
    private Throwable failure;

    private OrchagentConsumer(Path socket, int db, String table, String separator, int popBatchSize,
            Subscription mode, ProducerStateTableConsumer.ScriptCall scriptCall) {
        if (popBatchSize < 1) {
            throw new IllegalArgumentException("popBatchSize < 1: " + popBatchSize);
        }
        this.socket = Objects.requireNonNull(socket, "socket");
        this.db = db;
        this.channel = table + "_CHANNEL@" + db;
        this.popBatchSize = popBatchSize;
        this.popConnection = new Jedis(new UnixSocketJedisFactory(socket, 0, 0), config(db));
        this.popper = new ProducerStateTableConsumer(popConnection, table, separator, scriptCall);
        SubscriberConnection sub = null;
        Long count;
        try {
            sub = new SubscriberConnection(new UnixSocketJedisFactory(socket, 0, 0), config(db));
            count = mode == Subscription.IN_TRANSACTION ? sub.subscribeAndCountInOneTransaction(popper.keySet(),
                    channel) : null;
            atomic = count != null;
            if (count == null) {
                sub.subscribe(channel);
                count = popConnection.scard(popper.keySet());
            }
            this.subscriber = sub;
        } catch (RuntimeException e) {
            if (sub != null) {
                sub.close();
            }
            popConnection.close();
            throw e;
        }
        this.initialWakeUps = count;
        this.received = count;
        this.subscriberThread = new Thread(this::readChannel, "orchagent-consumer-subscriber-" + channel);
        this.handlerThread = new Thread(this::handleWakeUps, "orchagent-consumer-handler-" + channel);
        subscriberThread.setDaemon(true);
        handlerThread.setDaemon(true);
        subscriberThread.start();
        handlerThread.start();
    }

    /** A consumer of {@code table} in database {@code db} of {@code redis}, popping at most 128 keys per wake-up. */
    public static OrchagentConsumer start(RedisServer redis, int db, String table) {
        return start(redis, db, table, ORCHAGENT_POP_BATCH_SIZE);
    }

    /** A consumer of {@code table} in database {@code db} of {@code redis}, popping at most {@code popBatchSize} keys per wake-up. */
    public static OrchagentConsumer start(RedisServer redis, int db, String table, int popBatchSize) {
        return start(redis.socketPath(), db, table, ":", popBatchSize);
    }

    /**
     * A consumer of {@code table} (keys {@code <table><separator><key>}) in database {@code db} of
     * the Redis on the unix socket {@code socket}; subscribed and counted when this returns.
     */
    public static OrchagentConsumer start(Path socket, int db, String table, String separator, int popBatchSize) {
        return new OrchagentConsumer(socket, db, table, separator, popBatchSize, Subscription.IN_TRANSACTION,
                ProducerStateTableConsumer.ScriptCall.EVALSHA);
    }

    /**
     * As {@link #start(RedisServer, int, String)}, sending each pop as {@code scriptCall} says:
     * {@code EVAL} lets a benchmark tell the consumer's pops from a producer's {@code EVALSHA}
     * calls in {@code INFO commandstats}.
     */
    public static OrchagentConsumer start(RedisServer redis, int db, String table,
            ProducerStateTableConsumer.ScriptCall scriptCall) {
        return new OrchagentConsumer(redis.socketPath(), db, table, ":", ORCHAGENT_POP_BATCH_SIZE,
                Subscription.IN_TRANSACTION, scriptCall);
    }

    /** As above, with the subscription made as {@code mode} says (tests of the fallback). */
    static OrchagentConsumer start(Path socket, int db, String table, int popBatchSize, Subscription mode) {
        return new OrchagentConsumer(socket, db, table, ":", popBatchSize, mode,
                ProducerStateTableConsumer.ScriptCall.EVALSHA);
    }

    private static JedisClientConfig config(int db) {
        return DefaultJedisClientConfig.builder()
                .database(db)
                .clientName(CLIENT_NAME)
                .autoNegotiateProtocol(false)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .build();
    }

    /** The channel it is subscribed to: {@code <table>_CHANNEL@<db>}. */
    public String channel() {
        return channel;
    }

    /** Told of each channel message as it is read; for benchmarks that time the messages. */
    @FunctionalInterface
    public interface MessageListener {
        /**
         * Called on the subscriber thread right after a message was read and counted, under the
         * consumer's lock and before anyone waiting on the counters is woken: keep it short.
         *
         * @param wakeUpsReceived {@link #wakeUpsReceived()} with this message counted
         * @param nanoTime        {@link System#nanoTime()} when it was read
         */
        void messageReceived(long wakeUpsReceived, long nanoTime);
    }

    /** Sets the one listener told of every channel message from now on ({@code null}: none). */
    public void setMessageListener(MessageListener listener) {
        this.messageListener = listener;
    }

    /** Keys popped per wake-up at most. */
    public int popBatchSize() {
        return popBatchSize;
    }

    /** Whether SCARD and SUBSCRIBE ran in one transaction (see the class comment). */
    public boolean subscribedAtomically() {
        return atomic;
    }

    /** The wake-ups it started with: {@code SCARD T_KEY_SET} at subscription. */
    public long initialWakeUps() {
        return initialWakeUps;
    }

    /** Wake-ups so far: the initial ones plus one per channel message received. */
    public long wakeUpsReceived() {
        synchronized (monitor) {
            return received;
        }
    }

    /** Wake-ups handled so far, one pop each. */
    public long wakeUpsHandled() {
        synchronized (monitor) {
            return handled;
        }
    }

    /** Handled wake-ups whose pop found nothing. */
    public long emptyPops() {
        synchronized (monitor) {
            return emptyPops;
        }
    }

    /** Keys popped so far (taken by the test or not). */
    public long keysPopped() {
        synchronized (monitor) {
            return keysPopped;
        }
    }

    /**
     * Stops handling wake-ups until {@link #release()}: they are still counted, and each is
     * handled with its own pop once released, as an orchagent busy elsewhere would.
     */
    public void hold() {
        synchronized (monitor) {
            held = true;
        }
    }

    /** Handles the wake-ups counted while held, and those to come. */
    public void release() {
        synchronized (monitor) {
            held = false;
            monitor.notifyAll();
        }
    }

    /**
     * The next popped entry not taken yet, waiting up to {@code timeout} for one.
     *
     * @throws AssertionError when none comes in time, or the consumer failed
     */
    public Entry next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (popped.isEmpty()) {
                checkFailure();
                if (!waitUntil(deadline)) {
                    throw new AssertionError("nothing popped within " + timeout.toMillis() + " ms; " + summaryLocked());
                }
            }
            return popped.poll();
        }
    }

    /**
     * Takes popped entries until each of {@code keys} was among them, waiting up to
     * {@code timeout}; returns every entry taken, in the order popped (other keys' too).
     *
     * @throws AssertionError when some key is not popped in time, or the consumer failed
     */
    public List<Entry> awaitKeys(Collection<String> keys, Duration timeout) throws InterruptedException {
        Set<String> missing = new HashSet<>(keys);
        List<Entry> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (true) {
                for (Entry e = popped.poll(); e != null; e = popped.poll()) {
                    taken.add(e);
                    missing.remove(e.key());
                }
                if (missing.isEmpty()) {
                    return taken;
                }
                checkFailure();
                if (!waitUntil(deadline)) {
                    throw new AssertionError(missing.size() + " of " + keys.size() + " keys not popped within "
                            + timeout.toMillis() + " ms (e.g. " + missing.stream().limit(3).toList() + "); "
                            + summaryLocked());
                }
            }
        }
    }

    /** Every popped entry not taken yet, in the order popped; does not wait. */
    public List<Entry> takeAll() {
        synchronized (monitor) {
            List<Entry> out = new ArrayList<>(popped);
            popped.clear();
            return out;
        }
    }

    /**
     * Returns once every message published on the channel before this call has been received
     * (not necessarily handled): a PING on the subscribed connection, whose reply Redis queues
     * behind those messages.
     *
     * @throws AssertionError when the reply does not come within {@code timeout}, or the consumer failed
     */
    public void awaitReceived(Duration timeout) throws InterruptedException {
        awaitPong(timeout);
    }

    /**
     * Returns once every message published on the channel before this call has been received
     * and every wake-up counted by then (the initial ones included) has been handled, with the
     * entries popped queued. Together with a producer whose writes were acknowledged, this is
     * the moment to look at what is left in the key set: nothing, when every newly added key was
     * announced.
     *
     * @throws IllegalStateException when held
     * @throws AssertionError when that does not happen within {@code timeout}, or the consumer failed
     */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            if (held) {
                throw new IllegalStateException("held: wake-ups are not handled until release()");
            }
        }
        long target = awaitPong(timeout);
        synchronized (monitor) {
            while (handled < target) {
                checkFailure();
                if (held) {
                    throw new IllegalStateException("held while waiting to be idle");
                }
                if (!waitUntil(deadline)) {
                    throw new AssertionError("wake-ups not handled within " + timeout.toMillis() + " ms; "
                            + summaryLocked());
                }
            }
        }
    }

    /** Sends a PING on the subscription and waits for its reply; returns the wake-ups counted by then. */
    private long awaitPong(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long ping;
        synchronized (monitor) {
            checkFailure();
            ping = ++pingsSent;
            try {
                // under the monitor: pings leave in the order of their numbers
                subscriber.send(Protocol.Command.PING);
            } catch (RuntimeException e) {
                fail(e);
                checkFailure();
            }
            while (pongs < ping) {
                checkFailure();
                if (!waitUntil(deadline)) {
                    throw new AssertionError("no PING reply on the subscription within " + timeout.toMillis() + " ms; "
                            + summaryLocked());
                }
            }
            return receivedAtPong;
        }
    }

    /** The counters and the key set's size, for failure messages. */
    public String summary() {
        synchronized (monitor) {
            return summaryLocked();
        }
    }

    private String summaryLocked() {
        String waiting;
        try (Jedis j = new Jedis(new UnixSocketJedisFactory(socket, 0, 0), config(db))) {
            waiting = Long.toString(j.scard(popper.keySet()));
        } catch (RuntimeException e) {
            waiting = "unknown (" + e.getMessage() + ")";
        }
        return channel + " batch " + popBatchSize + ": wake-ups " + initialWakeUps + " at subscription, " + received
                + " received, " + handled + " handled (" + emptyPops + " popped nothing)" + (held ? ", held" : "")
                + "; " + keysPopped + " keys popped, " + popped.size() + " not taken; " + waiting
                + " keys in " + popper.keySet() + (failure == null ? "" : "; failed: " + failure);
    }

    /** Waits on the monitor until notified or the deadline; false when the deadline has passed. */
    private boolean waitUntil(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
        return true;
    }

    private void checkFailure() {
        if (failure != null) {
            throw new AssertionError("the consumer stopped: " + failure + "; " + summaryLocked(), failure);
        }
        if (closing) {
            throw new IllegalStateException("closed");
        }
    }

    private void fail(Throwable t) {
        synchronized (monitor) {
            if (failure == null && !closing) {
                failure = t;
            }
            monitor.notifyAll();
        }
    }

    /** The subscriber thread: counts messages and PING replies until unsubscribed, closed or failed. */
    private void readChannel() {
        try {
            while (true) {
                Object reply = subscriber.read();
                if (!(reply instanceof List<?> push) || push.isEmpty()) {
                    throw new IllegalStateException("unexpected reply on the subscription: " + reply);
                }
                String kind = text(push.get(0));
                long readAt = System.nanoTime();
                synchronized (monitor) {
                    switch (kind) {
                        case "message":
                            received++;
                            MessageListener listener = messageListener;
                            if (listener != null) {
                                listener.messageReceived(received, readAt);
                            }
                            break;
                        case "pong":
                            pongs++;
                            receivedAtPong = received;
                            break;
                        case "unsubscribe":
                            return;
                        default:
                            break;
                    }
                    monitor.notifyAll();
                }
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /**
     * The handler thread: one pop per wake-up, in turn. The pops of the wake-ups pending at a time
     * (up to {@value #MAX_POPS_PER_ROUND_TRIP}) go out pipelined: each is still its own script call
     * after the one before, as orchagent's successive pops are, without a round trip each.
     */
    private void handleWakeUps() {
        try {
            while (true) {
                int pops;
                synchronized (monitor) {
                    while (!closing && failure == null && (held || handled >= received)) {
                        monitor.wait();
                    }
                    if (closing || failure != null) {
                        return;
                    }
                    pops = (int) Math.min(MAX_POPS_PER_ROUND_TRIP, received - handled);
                }
                List<List<Entry>> results = popper.pops(popBatchSize, pops);
                synchronized (monitor) {
                    for (List<Entry> entries : results) {
                        handled++;
                        keysPopped += entries.size();
                        if (entries.isEmpty()) {
                            emptyPops++;
                        }
                        popped.addAll(entries);
                    }
                    monitor.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Unsubscribes, ends both threads and closes both connections. */
    @Override
    public void close() throws InterruptedException {
        synchronized (monitor) {
            if (closing) {
                return;
            }
            closing = true;
            monitor.notifyAll();
            try {
                subscriber.send(Protocol.Command.UNSUBSCRIBE);
            } catch (RuntimeException e) {
                // gone already: closing the connection below ends the reader
            }
        }
        subscriberThread.join(JOIN_MILLIS);
        subscriber.close();
        subscriberThread.join(JOIN_MILLIS);
        handlerThread.join(JOIN_MILLIS);
        popConnection.close();
        handlerThread.join(JOIN_MILLIS);
        if (subscriberThread.isAlive() || handlerThread.isAlive()) {
            throw new IllegalStateException("the consumer's threads did not end: " + summary());
        }
    }

    @Override
    public String toString() {
        return "OrchagentConsumer " + summary();
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    /**
     * The subscribed connection: commands written by any thread (serialised by the caller),
     * replies read by the subscriber thread alone.
     */
    private static final class SubscriberConnection extends Connection {
        SubscriberConnection(UnixSocketJedisFactory factory, JedisClientConfig config) {
            super(factory, config);
        }

        void send(Protocol.Command command, String... args) {
            sendCommand(command, args);
            flush();
        }

        Object read() {
            return getUnflushedObject();
        }

        /**
         * {@code MULTI; SCARD keySet; SUBSCRIBE channel; EXEC}: the count, or {@code null} when
         * Redis refused SUBSCRIBE inside the transaction (nothing ran then).
         */
        Long subscribeAndCountInOneTransaction(String keySet, String channel) {
            sendCommand(Protocol.Command.MULTI);
            sendCommand(Protocol.Command.SCARD, keySet);
            sendCommand(Protocol.Command.SUBSCRIBE, channel);
            sendCommand(Protocol.Command.EXEC);
            flush();
            expect("OK", read());
            expect("QUEUED", read());
            boolean refused = false;
            try {
                expect("QUEUED", read());
            } catch (JedisDataException e) {
                refused = true;
            }
            if (refused) {
                try {
                    read();
                    throw new IllegalStateException("EXEC ran although SUBSCRIBE was refused inside MULTI");
                } catch (JedisDataException expected) {
                    // EXECABORT
                    return null;
                }
            }
            List<?> results = (List<?>) read();
            if (results == null || results.size() != 2 || !(results.get(0) instanceof Long count)
                    || !(results.get(1) instanceof List<?> confirmation) || !"subscribe".equals(text(
                            confirmation.get(0)))) {
                throw new IllegalStateException("unexpected EXEC reply for SCARD and SUBSCRIBE: " + results);
            }
            return count;
        }

        /** SUBSCRIBE alone, and its confirmation. */
        void subscribe(String channel) {
            send(Protocol.Command.SUBSCRIBE, channel);
            Object reply = read();
            if (!(reply instanceof List<?> confirmation) || !"subscribe".equals(text(confirmation.get(0)))) {
                throw new IllegalStateException("unexpected SUBSCRIBE reply: " + reply);
            }
        }

        private static void expect(String status, Object reply) {
            if (!status.equals(text(reply))) {
                throw new IllegalStateException("expected " + status + ", got " + text(reply));
            }
        }
    }
}
