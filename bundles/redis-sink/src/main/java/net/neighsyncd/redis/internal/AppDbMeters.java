package net.neighsyncd.redis.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.neighsyncd.api.metrics.MeterSpec;

/**
 * The meters of the APPL_DB sink's connection: its round trips and script reloads (counted by
 * {@link #requests()}), the connections it opened and failed to open, and whether one is open.
 * Updated by the sink under its lock, read from any thread.
 */
final class AppDbMeters {
    private final RedisRequestCounters requests = new RedisRequestCounters();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private volatile boolean open;
    private final List<MeterSpec> specs = List.of(
            MeterSpec.counter("neighsyncd.redis.roundtrips", "Requests sent to APPL_DB's Redis and answered: one "
                    + "per command or per pipeline (the connection handshake and the warm-restart tables' own "
                    + "connections not counted)", null, requests::roundTrips),
            MeterSpec.counter("neighsyncd.redis.reconnects", "New APPL_DB connections after the first one: each "
                    + "follows a lost connection, a Redis restart or a change of the configured database", null,
                    this::reconnects),
            MeterSpec.counter("neighsyncd.redis.connect.failures", "Attempts to connect to APPL_DB that failed "
                    + "(locating it, connecting, loading the scripts); the next request tries again", null,
                    connectFailures::get),
            MeterSpec.gauge("neighsyncd.redis.connected", null, "1 while the APPL_DB sink holds an open "
                    + "connection (a loss is noticed at the next request), else 0", null, () -> open ? 1 : 0),
            MeterSpec.counter("neighsyncd.redis.script.reloads", "Times the Lua scripts were loaded again on "
                    + "APPL_DB after Redis answered NOSCRIPT (it restarted or flushed its scripts)", null,
                    requests::scriptReloads));

    /** What the sink's APPL_DB requests are counted in. */
    RedisRequestCounters requests() {
        return requests;
    }

    /** The meters, the same list for the life of the sink. */
    List<MeterSpec> specs() {
        return specs;
    }

    /** A new connection is open and ready. */
    void connected() {
        connections.incrementAndGet();
        open = true;
    }

    /** The connection is closed (or there was none). */
    void disconnected() {
        open = false;
    }

    /** An attempt to connect failed. */
    void connectFailed() {
        connectFailures.incrementAndGet();
    }

    /** New connections after the first one. */
    private long reconnects() {
        return Math.max(0, connections.get() - 1);
    }
}
