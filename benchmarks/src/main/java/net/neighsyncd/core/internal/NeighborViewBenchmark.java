package net.neighsyncd.core.internal;

import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The engine's rules and desired/applied diff ({@link NeighborView}, SONiC's rules, no filter,
 * default switch modes) on {@value #NEIGHBORS} neighbors as the netlink decoder hands them over:
 * three in four IPv4 ({@code 10.x.y.z}), one in four IPv6 ({@code 2001:db8::/64}), spread over
 * 32 {@code EthernetN} interfaces. One operation is one kernel message; each change the view
 * emits goes to a Blackhole, as the writer's queue would take it.
 *
 * <ul>
 *   <li>{@link #dump}: a cold start: a fresh view, a dump of all of them, its completion (the
 *       sweep and one diff of everything); {@value #NEIGHBORS} SETs emitted.</li>
 *   <li>then, on a view holding them all after a dump, a stream of live messages cycling
 *       through the neighbors: {@link #stateOnly} (REACHABLE and STALE in turn, the same MAC:
 *       nothing to write, the common case), {@link #macChange} (two MACs in turn: one SET per
 *       message), {@link #deleteReadd} (RTM_DELNEIGH, then the neighbor again: a DEL or a SET
 *       per message).</li>
 * </ul>
 *
 * In the package of the classes it drives, which are package-private; run it with scripts/jmh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NeighborViewBenchmark {
    static final int NEIGHBORS = 10_000;

    private static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    private static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:0b");

    /** What a dump reports: every neighbor REACHABLE with MAC A. */
    private final NeighborMessage[] reachableA = new NeighborMessage[NEIGHBORS];
    private final NeighborMessage[] staleA = new NeighborMessage[NEIGHBORS];
    private final NeighborMessage[] reachableB = new NeighborMessage[NEIGHBORS];
    private final NeighborMessage[] deleted = new NeighborMessage[NEIGHBORS];

    /** The view of the live-message benchmarks, loaded by a dump of {@link #reachableA}. */
    private NeighborView loaded;
    private EngineTally loadedTally;
    private long emitted;
    /** Live messages sent to {@link #loaded} so far. */
    private long sent;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        for (int i = 0; i < NEIGHBORS; i++) {
            IpAddress ip = i % 4 == 3
                    ? IpAddress.parse("2001:db8::" + Integer.toHexString(i + 1))
                    : IpAddress.parse("10." + (i >> 16) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF));
            int ifindex = 10 + i % 32;
            String ifname = "Ethernet" + 4 * (i % 32);
            int af = ip.family().addressFamily();
            reachableA[i] = new NeighborMessage(false, af, ifindex, ifname, ip, MAC_A, NudState.REACHABLE, 0);
            staleA[i] = new NeighborMessage(false, af, ifindex, ifname, ip, MAC_A, NudState.STALE, 0);
            reachableB[i] = new NeighborMessage(false, af, ifindex, ifname, ip, MAC_B, NudState.REACHABLE, 0);
            deleted[i] = new NeighborMessage(true, af, ifindex, ifname, ip, MAC_A, NudState.REACHABLE, 0);
        }
        loadedTally = new EngineTally();
        loaded = new NeighborView(c -> {
            emitted++;
            bh.consume(c);
        }, loadedTally);
        loaded.onDumpStarted();
        for (NeighborMessage m : reachableA) {
            loaded.onMessage(m);
        }
        loaded.onDumpCompleted();
        if (loaded.appliedSize() != NEIGHBORS || emitted != NEIGHBORS) {
            throw new IllegalStateException("the dump applied " + loaded.appliedSize() + " of " + NEIGHBORS);
        }
        emitted = 0;
    }

    /** The rules dropped nothing, and each live message emitted what it should have. */
    @TearDown(Level.Trial)
    public void check(BenchmarkParams params) {
        long dropped = loadedTally.snapshot().dropped().values().stream().mapToLong(Long::longValue).sum();
        String name = params.getBenchmark();
        long expected = name.endsWith(".stateOnly") || name.endsWith(".dump") ? 0 : sent;
        if (dropped != 0 || emitted != expected) {
            throw new IllegalStateException(name + ": " + dropped + " messages dropped by the rules, " + emitted
                    + " changes emitted for " + sent + " live messages, expected " + expected);
        }
    }

    @Benchmark
    @OperationsPerInvocation(NEIGHBORS)
    public NeighborView dump(Blackhole bh) {
        EngineTally tally = new EngineTally();
        NeighborView view = new NeighborView(bh::consume, tally);
        view.onDumpStarted();
        for (NeighborMessage m : reachableA) {
            view.onMessage(m);
        }
        view.onDumpCompleted();
        if (tally.changesSet.sum() != NEIGHBORS) {
            throw new IllegalStateException(tally.changesSet.sum() + " SETs emitted for " + NEIGHBORS);
        }
        return view;
    }

    @Benchmark
    public void stateOnly() {
        loaded.onMessage(live(staleA));
    }

    @Benchmark
    public void macChange() {
        loaded.onMessage(live(reachableB));
    }

    @Benchmark
    public void deleteReadd() {
        loaded.onMessage(live(deleted));
    }

    /**
     * The next live message, cycling through the neighbors: on the first pass over them and every
     * other one after it, {@code changed}; on the passes between, the dump's {@link #reachableA}.
     */
    private NeighborMessage live(NeighborMessage[] changed) {
        long n = sent++;
        int i = (int) (n % NEIGHBORS);
        return (n / NEIGHBORS & 1) == 0 ? changed[i] : reachableA[i];
    }
}
