package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.engine.NeighborSink;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.api.tracing.BatchTracer;
import net.neighsyncd.api.tracing.TracedChange;
import net.neighsyncd.api.tracing.WrittenBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine component wired by hand as DS would: a source that hands its handler to the test,
 * and in-memory sinks that record what they receive (the real ones are tested in their bundles
 * and in itests).
 */
class SyncEngineComponentTest {
    private final SyncEngineComponent engine = new SyncEngineComponent();
    private final RecordingSink applDb = new RecordingSink();
    private final CapturingSource source = new CapturingSource();

    /** Records every change it is given. */
    private static final class RecordingSink implements NeighborSink {
        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        public void apply(List<NeighborChange> changes) {
            changes.forEach(c -> received.add(c.toString()));
        }
    }

    private static NeighborMessage neighbor(String ip, String mac) {
        IpAddress a = IpAddress.parse(ip);
        return new NeighborMessage(false, a.family().addressFamily(), 2, "Ethernet0", a, MacAddress.parse(mac),
                NudState.PERMANENT, 0);
    }

    @BeforeEach
    void activeEngineAfterItsFirstDump() throws Exception {
        engine.bindSink(applDb, Map.of(NeighborSink.APPL_DB_PROPERTY, true, "service.id", 1L));
        engine.bindSource(source, Map.of());
        engine.start(EngineConfigs.of(Map.of()));
        Wait.until(() -> source.handler != null);
        source.handler.onDumpStarted();
        source.handler.onNeighbor(neighbor("10.0.0.1", "02:00:00:00:00:01"));
        source.handler.onDumpCompleted();
        Wait.until(() -> applDb.received.size() == 1);
    }

    @AfterEach
    void deactivate() throws Exception {
        engine.deactivate();
    }

    @Test
    void aSinkArrivingLaterGetsTheWholeTableFirstThenEveryChange() throws Exception {
        // when
        RecordingSink vendor = new RecordingSink();
        engine.bindSink(vendor, Map.of("service.id", 2L));
        Wait.until(() -> vendor.received.size() == 1);
        source.handler.onNeighbor(neighbor("10.0.0.2", "02:00:00:00:00:02"));
        // then
        Wait.until(() -> vendor.received.size() == 2 && applDb.received.size() == 2);
        assertEquals(List.of("SET Ethernet0:10.0.0.1 neigh=02:00:00:00:00:01 family=IPv4",
                "SET Ethernet0:10.0.0.2 neigh=02:00:00:00:00:02 family=IPv4"), vendor.received);
    }

    @Test
    void listenersHearEveryChangeOnceAPPLDBHasIt() throws Exception {
        // given
        List<String> heard = new CopyOnWriteArrayList<>();
        engine.bindListener(changes -> changes.forEach(c -> heard.add(c.toString())));
        // when
        source.handler.onNeighbor(neighbor("10.0.0.3", "02:00:00:00:00:03"));
        // then (the first dump's write may still be reported to a listener bound right after it)
        String change = "SET Ethernet0:10.0.0.3 neigh=02:00:00:00:00:03 family=IPv4";
        Wait.until(() -> heard.contains(change));
        assertEquals(1, heard.stream().filter(change::equals).count(), heard::toString);
        assertTrue(applDb.received.containsAll(heard), () -> heard + " not all in " + applDb.received);
    }

    @Test
    void changesWaitWhileTheAPPLDBSinkIsAwayAndReachTheNextOne() throws Exception {
        // given
        engine.unbindSink(applDb, Map.of(NeighborSink.APPL_DB_PROPERTY, true));
        source.handler.onNeighbor(neighbor("10.0.0.4", "02:00:00:00:00:04"));
        // when
        RecordingSink next = new RecordingSink();
        engine.bindSink(next, Map.of(NeighborSink.APPL_DB_PROPERTY, true, "service.id", 3L));
        // then
        Wait.until(() -> next.received.size() == 1);
        assertEquals(List.of("SET Ethernet0:10.0.0.4 neigh=02:00:00:00:00:04 family=IPv4"), next.received);
    }

    @Test
    void aBoundTracerHearsEverySinksBatchesWithTheKernelReadTimeAndNoMoreOnceUnbound() throws Exception {
        // given: a tracer, and a vendor sink beside APPL_DB's
        List<WrittenBatch> traced = new CopyOnWriteArrayList<>();
        BatchTracer tracer = traced::add;
        engine.bindTracer(tracer);
        RecordingSink vendor = new RecordingSink();
        engine.bindSink(vendor, Map.of("service.id", 2L));
        List<String> heard = new CopyOnWriteArrayList<>();
        engine.bindListener(changes -> changes.forEach(c -> heard.add(c.toString())));
        long before = System.nanoTime();
        // when: the kernel reports a neighbor
        source.handler.onNeighbor(neighbor("10.0.0.5", "02:00:00:00:00:05"));
        // then: each sink's writer tells of the batch that carried it, with when it was read
        String change = "SET Ethernet0:10.0.0.5 neigh=02:00:00:00:00:05 family=IPv4";
        Wait.until(() -> tracedTo(traced, "APPL_DB", change).isPresent()
                && tracedTo(traced, vendor.getClass().getName() + "#2", change).isPresent());
        long read = tracedTo(traced, "APPL_DB", change).get().readNanos();
        assertTrue(read >= before && read <= System.nanoTime(), "read " + read + ", before " + before);
        // and when it is unbound, the next change is written (listeners hear it after the writer
        // would have traced it) but not traced
        engine.unbindTracer(tracer);
        String next = "SET Ethernet0:10.0.0.6 neigh=02:00:00:00:00:06 family=IPv4";
        source.handler.onNeighbor(neighbor("10.0.0.6", "02:00:00:00:00:06"));
        Wait.until(() -> heard.contains(next));
        assertTrue(tracedTo(traced, "APPL_DB", next).isEmpty(), traced::toString);
    }

    /** The traced change {@code text} in a batch of sink {@code sink}. */
    private static java.util.Optional<TracedChange> tracedTo(List<WrittenBatch> traced, String sink, String text) {
        return traced.stream().filter(b -> b.sink().equals(sink)).flatMap(b -> b.changes().stream())
                .filter(c -> c.change().toString().equals(text)).findFirst();
    }

}
