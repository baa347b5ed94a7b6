package net.neighsyncd.redis.internal;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.RedisOutputStream;

/**
 * What the APPL_DB sink does with one batch of {@value #CHANGES} NEIGH_TABLE changes up to the
 * socket, with no Redis: {@link ProducerStateTable#write} (the sink's {@code apply} is that call
 * under its lock), i.e. the script's KEYS and ARGV built from each change, Jedis's EVALSHA
 * commands and their RESP bytes written to a stream that only counts them, and each reply read
 * back as an integer, handed over at once instead of by a server. One operation is one change.
 *
 * <ul>
 *   <li>{@code op}: {@code set} (the shape of a cold sync: each a SET of {@code neigh} and
 *       {@code family}) or {@code delete}.</li>
 *   <li>{@code batchSize}: operations per script call; 512 is the sink's default (one call of
 *       the batch script), 1 runs the single set or delete script once per change.</li>
 * </ul>
 *
 * The changes are on 32 {@code EthernetN} interfaces, three in four IPv4, one in four IPv6. In
 * the package of {@link ProducerStateTable}, which is package-private; run it with scripts/jmh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScriptEncodingBenchmark {
    static final int CHANGES = 512;

    @Param({"set", "delete"})
    public String op;

    @Param({"512", "1"})
    public int batchSize;

    private List<NeighborChange> changes;
    private final ProducerStateTable table = new ProducerStateTable("NEIGH_TABLE", ":", 0);
    private NoServer connection;
    private Jedis jedis;
    private long writes;

    @Setup
    public void setUp() {
        if (!"set".equals(op) && !"delete".equals(op)) {
            throw new IllegalArgumentException("op is set or delete, not " + op);
        }
        changes = new ArrayList<>(CHANGES);
        for (int i = 0; i < CHANGES; i++) {
            IpAddress ip = i % 4 == 3
                    ? IpAddress.parse("2001:db8::" + Integer.toHexString(i + 1))
                    : IpAddress.parse("10.0." + (i >> 8) + "." + (i & 0xFF));
            NeighborKey key = new NeighborKey("Ethernet" + 4 * (i % 32), ip);
            changes.add("set".equals(op)
                    ? NeighborChange.set(new NeighborRecord(key, MacAddress.ofBits(0x0200_0000_0000L + i)))
                    : NeighborChange.delete(key));
        }
        connection = new NoServer();
        jedis = new ScriptsLoadedAlready(connection);
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public void write() {
        table.write(jedis, changes, batchSize);
        writes++;
    }

    /** Each write sent one command per script call, and the bytes a real write sends. */
    @TearDown
    public void check() {
        long calls = writes * ((CHANGES + batchSize - 1) / batchSize);
        if (connection.commands != calls || connection.replies != calls) {
            throw new IllegalStateException(connection.commands + " commands sent and " + connection.replies
                    + " replies read for " + writes + " writes, expected " + calls);
        }
        // the RESP bytes of one change: at least its key, twice for a set (key set entry and _T:K)
        long perChange = connection.bytes / Math.max(1, writes * CHANGES);
        if (writes > 0 && perChange < 2 * "Ethernet0:10.0.0.0".length()) {
            throw new IllegalStateException("only " + perChange + " bytes per change written");
        }
    }

    /** A connection whose writes go to a byte counter and whose every reply is the integer 1. */
    private static final class NoServer extends Connection {
        private final CountingStream counter = new CountingStream();
        private final RedisOutputStream out = new RedisOutputStream(counter);
        long commands;
        long replies;
        long bytes;

        NoServer() {
            super(() -> {
                throw new JedisConnectionException("the benchmark has no server");
            });
        }

        @Override
        public void sendCommand(CommandArguments args) {
            commands++;
            Protocol.sendCommand(out, args);
        }

        @Override
        public List<Object> getMany(int count) {
            try {
                out.flush();
            } catch (java.io.IOException e) {
                throw new JedisConnectionException(e);
            }
            bytes = counter.bytes;
            replies += count;
            List<Object> r = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                r.add(1L);
            }
            return r;
        }
    }

    /** Counts what is written, keeps nothing. */
    private static final class CountingStream extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /** SCRIPT LOAD answered without a server: the SHA1 of the script, as Redis would answer it. */
    private static final class ScriptsLoadedAlready extends Jedis {
        ScriptsLoadedAlready(Connection connection) {
            super(connection);
        }

        @Override
        public String scriptLoad(String script) {
            try {
                return HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
