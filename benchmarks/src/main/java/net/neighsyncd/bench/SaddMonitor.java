package net.neighsyncd.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.neighsyncd.testsupport.RedisServer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * {@code MONITOR} on a connection of its own, read on a thread of its own: for each member first
 * added to one set, the time Redis gave the {@code SADD} in its monitor line. Redis stamps each
 * line with its wall clock ({@code gettimeofday}, microseconds) when it executes the command;
 * commands a script runs are fed to monitors too, as {@code [db lua] "SADD" ...}. So the times
 * are Redis's own, not when this thread read the line, and share the clock of
 * {@link PacedLoad#wallMicros()}.
 */
final class SaddMonitor implements AutoCloseable {
    private final Jedis jedis;
    private final Thread reader;
    private final String marker;
    private final Map<String, Long> firstSaddMicros = new ConcurrentHashMap<>();
    private volatile RuntimeException failure;
    private volatile boolean closing;
    /** The marker ECHO of {@link #awaitStarted} was seen: MONITOR is on. */
    private volatile boolean sawMarker;

    private SaddMonitor(RedisServer redis, String set) {
        this.jedis = RedisServer.connect(redis.socketPath(), 0);
        this.marker = "\"SADD\" \"" + set + "\" \"";
        this.reader = new Thread(() -> {
            try {
                jedis.monitor(new JedisMonitor() {
                    @Override
                    public void onCommand(String line) {
                        record(line);
                    }
                });
            } catch (RuntimeException e) {
                if (!closing) {
                    failure = e;
                }
            }
        }, "sadd-monitor");
        reader.setDaemon(true);
    }

    /** Monitoring from when this returns: an ECHO on another connection has been seen by MONITOR. */
    static SaddMonitor start(RedisServer redis, String set) throws InterruptedException {
        SaddMonitor m = new SaddMonitor(redis, set);
        m.reader.start();
        m.awaitStarted(redis);
        return m;
    }

    private void awaitStarted(RedisServer redis) throws InterruptedException {
        try (Jedis probe = RedisServer.connect(redis.socketPath(), 0)) {
            long end = System.nanoTime() + 10_000_000_000L;
            while (!sawMarker) {
                if (failure != null || System.nanoTime() > end) {
                    throw new IllegalStateException("MONITOR did not start", failure);
                }
                probe.echo("sadd-monitor-started");
                Thread.sleep(5);
            }
        }
    }

    private void record(String line) {
        if (!sawMarker && line.contains("\"sadd-monitor-started\"")) {
            sawMarker = true;
            return;
        }
        // most lines are not this set's SADDs (MONITOR gets every command, those scripts run
        // included): a cheap test first, so that this thread does not take the CPU the daemon is
        // measured on
        int sadd = line.indexOf("\"SADD\"");
        if (sadd < 0) {
            sadd = line.indexOf("\"sadd\"");
        }
        if (sadd < 0 || !line.regionMatches(true, sadd, marker, 0, marker.length())) {
            return;
        }
        int from = sadd + marker.length();
        int to = line.indexOf('"', from);
        String member = line.substring(from, to);
        int dot = line.indexOf('.');
        int space = line.indexOf(' ');
        long micros = Long.parseLong(line.substring(0, dot)) * 1_000_000L + Long.parseLong(line.substring(dot + 1,
                space));
        firstSaddMicros.putIfAbsent(member, micros);
    }

    /** Members seen added so far. */
    int count() {
        return firstSaddMicros.size();
    }

    /** When {@code member} was first added (Redis's wall clock, µs since the epoch), or null. */
    Long firstSaddMicros(String member) {
        return firstSaddMicros.get(member);
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        jedis.close();
        reader.join(10_000);
        if (failure != null) {
            throw new IllegalStateException("MONITOR failed", failure);
        }
    }
}
