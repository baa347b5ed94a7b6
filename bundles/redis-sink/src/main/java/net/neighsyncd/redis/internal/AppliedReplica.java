package net.neighsyncd.redis.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import net.neighsyncd.api.ha.HaKeys;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What NEIGH_TABLE holds as orchagent will see it, known without reading the table when it
 * matters: NEIGH_TABLE read once as a baseline, then every change the leaders append to the
 * replication stream (docs/ha.md) applied on top, read through this instance's own consumer
 * group. The stream's sequence numbers must follow each other; a gap (entries trimmed before they
 * were read, a change the stream cannot describe, Redis restarted or flushed) makes it read the
 * table again. Runs on its own thread over its own connection; {@link #caughtUp} is what the sink
 * answers a takeover's read with.
 */
final class AppliedReplica {
    private static final Logger LOG = LoggerFactory.getLogger(AppliedReplica.class);
    /** Entries per read. */
    static final int READ_COUNT = 1000;
    /** How long one read waits for entries, in milliseconds. */
    static final int BLOCK_MILLIS = 100;
    private static final long RETRY_MILLIS = 500;

    /** Opens the connection to APPL_DB's database; throws when it cannot. */
    interface Connector {
        Jedis open();

        /** The ProducerStateTable of NEIGH_TABLE in that database. */
        ProducerStateTable table();
    }

    private final Connector connector;
    private final String group;
    private final String stream;
    private final String sequence;
    private final Supplier<String> describe;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the replica, null while there is no consistent one. */
    private Map<NeighborKey, NeighborRecord> replica;
    /** Guarded by {@link #lock}: the sequence number the replica includes everything up to. */
    private long lastSeq;
    /** Guarded by {@link #lock}: the run_id of the server the replica is of. */
    private String runId;
    /** Guarded by {@link #lock}: catch-up requests made, and the last one a read has answered. */
    private long requested;
    private long answered;
    private long baselines;
    private volatile boolean running = true;
    private Thread thread;
    private volatile Jedis current;

    /**
     * @param group the consumer group (this instance's id)
     * @param describe what to call the database in log lines
     */
    AppliedReplica(Connector connector, String namespace, String group, Supplier<String> describe) {
        this.connector = connector;
        this.group = group;
        this.stream = HaKeys.stream(namespace);
        this.sequence = HaKeys.sequence(namespace);
        this.describe = describe;
    }

    void start(String label) {
        thread = new Thread(this::run, "neighsyncd-replica[" + label + "]");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops following and removes this instance's consumer group (best effort). */
    void stop() throws InterruptedException {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
        try (Jedis cleanup = connector.open()) {
            cleanup.xgroupDestroy(stream, group);
        } catch (JedisException | IllegalStateException | IllegalArgumentException e) {
            LOG.debug("removing consumer group {} failed: {}", group, e.toString());
        }
    }

    /**
     * The replica once it has read every entry appended before this call, with the run_id of the
     * server it is of; empty when it has none that is consistent (still reading its baseline,
     * Redis unreachable) by {@code timeoutMillis}.
     */
    Optional<Snapshot> caughtUp(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lock) {
            long ticket = ++requested;
            while (answered < ticket || replica == null) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || !running) {
                    return Optional.empty();
                }
                lock.wait(left);
            }
            return Optional.of(new Snapshot(Map.copyOf(replica), lastSeq, runId));
        }
    }

    /** How often the table was read as a baseline. */
    long baselines() {
        synchronized (lock) {
            return baselines;
        }
    }

    /** What the replica held when a takeover asked: a copy, the sequence number it is at, the server's run_id. */
    record Snapshot(Map<NeighborKey, NeighborRecord> entries, long sequence, String runId) {
    }

    private void run() {
        boolean warned = false;
        while (running) {
            try (Jedis j = connector.open()) {
                current = j;
                ProducerStateTable table = connector.table();
                baseline(j, table);
                warned = false;
                follow(j);
            } catch (RuntimeException e) {
                // a broken connection, an unreadable reply or sequence number: all start again
                invalidate();
                if (!running) {
                    return;
                }
                if (!warned) {
                    LOG.warn("following the replication stream on {} failed, starting again: {}", describe.get(),
                            e.toString());
                    warned = true;
                } else {
                    LOG.debug("following the replication stream failed again: {}", e.toString());
                }
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (GapException e) {
                invalidate();
                LOG.info("replication stream on {}: {}; reading NEIGH_TABLE again", describe.get(), e.getMessage());
            } catch (InterruptedException e) {
                return;
            } finally {
                current = null;
            }
        }
    }

    private void invalidate() {
        synchronized (lock) {
            replica = null;
        }
    }

    /**
     * The group set to the stream's end and the sequence number read in one transaction, then the
     * table read: every change after that number is in the stream from the group's position on,
     * and applying it over the table read (which may already include some) gives the same result.
     */
    private void baseline(Jedis j, ProducerStateTable table) {
        if (!running) {
            throw new IllegalStateException("stopped"); // no group made after stop() removed it
        }
        try {
            j.xgroupCreate(stream, group, StreamEntryID.XGROUP_LAST_ENTRY, true);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
        Transaction t = j.multi();
        t.xgroupSetID(stream, group, StreamEntryID.XGROUP_LAST_ENTRY);
        Response<String> seq = t.get(sequence);
        t.exec();
        long from = seq.get() == null ? 0 : Long.parseLong(seq.get());
        String run = AppDbNeighborSink.runId(j.info("server"));
        Map<NeighborKey, NeighborRecord> state = new HashMap<>();
        table.readAll(j).entries().forEach((key, fields) -> {
            NeighborRecord r = AppDbNeighborSink.record(key, fields);
            if (r != null) {
                state.put(r.key(), r);
            }
        });
        synchronized (lock) {
            replica = state;
            lastSeq = from;
            runId = run;
            baselines++;
        }
        LOG.info("replication stream on {}: {} NEIGH_TABLE entries read at sequence {}; following", describe.get(),
                state.size(), from);
    }

    private void follow(Jedis j) throws GapException, InterruptedException {
        XReadGroupParams blocking = XReadGroupParams.xReadGroupParams().count(READ_COUNT).block(BLOCK_MILLIS).noAck();
        XReadGroupParams now = XReadGroupParams.xReadGroupParams().count(READ_COUNT).noAck();
        Map<String, StreamEntryID> from = Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
        while (running) {
            long ticket;
            synchronized (lock) {
                ticket = requested > answered ? requested : 0;
            }
            if (ticket == 0) {
                List<StreamEntry> entries = entries(j.xreadGroup(group, group, blocking, from));
                synchronized (lock) {
                    for (StreamEntry e : entries) {
                        apply(e);
                    }
                }
            } else {
                // a takeover waits: read what is left together with the sequence number, so that a
                // gap with no entry after it is seen too
                Transaction t = j.multi();
                Response<List<Map.Entry<String, List<StreamEntry>>>> read = t.xreadGroup(group, group, now, from);
                Response<String> seq = t.get(sequence);
                t.exec();
                List<StreamEntry> entries = entries(read.get());
                synchronized (lock) {
                    for (StreamEntry e : entries) {
                        apply(e);
                    }
                    if (entries.size() < READ_COUNT) {
                        long latest = seq.get() == null ? 0 : Long.parseLong(seq.get());
                        if (latest != lastSeq) {
                            throw new GapException("the sequence is at " + latest + ", the replica at " + lastSeq);
                        }
                        answered = ticket;
                        lock.notifyAll();
                    }
                }
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private static List<StreamEntry> entries(List<Map.Entry<String, List<StreamEntry>>> read) {
        return read == null || read.isEmpty() || read.get(0).getValue() == null ? List.of() : read.get(0).getValue();
    }

    /** Caller holds the lock. */
    private void apply(StreamEntry e) throws GapException {
        Map<String, String> f = e.getFields();
        long seq;
        try {
            seq = Long.parseLong(f.get("seq"));
        } catch (NumberFormatException ex) {
            throw new GapException("entry " + e.getID() + " has no sequence number");
        }
        if (seq != lastSeq + 1) {
            throw new GapException("entry " + e.getID() + " has sequence " + seq + " after " + lastSeq);
        }
        lastSeq = seq;
        NeighborKey key = NeighborKey.canonical(f.getOrDefault("key", "")).orElse(null);
        if (key == null) {
            LOG.debug("replication stream entry {} names no neighbor key; skipped", e.getID());
            return;
        }
        if ("DEL".equals(f.get("op"))) {
            replica.remove(key);
            return;
        }
        NeighborRecord r = AppDbNeighborSink.record(key.toString(), f);
        if (r == null) {
            replica.remove(key);
        } else {
            replica.put(key, r);
        }
    }


    /** The stream does not continue where the replica is: it must be read again. */
    private static final class GapException extends Exception {
        private static final long serialVersionUID = 1L;

        GapException(String message) {
            super(message);
        }
    }
}
