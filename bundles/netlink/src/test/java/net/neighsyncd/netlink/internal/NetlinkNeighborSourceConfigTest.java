package net.neighsyncd.netlink.internal;

import static net.neighsyncd.netlink.internal.Configs.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import net.neighsyncd.api.engine.NeighborEventHandler;
import org.junit.jupiter.api.Test;

/** Configuration handling of the component, without a subscriber (no root needed). */
class NetlinkNeighborSourceConfigTest {

    @Test
    void startsWithDefaultsWhenUnconfigured() {
        // given an activated source with the default configuration
        NetlinkNeighborSource source = new NetlinkNeighborSource();
        source.activate(null, config("", NetlinkNeighborSource.DEFAULT_RECEIVE_BUFFER), Map.of());

        // then it watches its own namespace with a 16 MiB buffer, and nothing has started
        assertEquals("", source.namespace());
        assertEquals(16 * 1024 * 1024, source.receiveBufferBytes());
        assertEquals(0L, source.counters().get("reader.starts"));
        source.deactivate();
    }

    @Test
    void rejectsATooSmallBufferAndKeepsTheLastGoodValue() {
        // given a source configured with 1 MiB
        NetlinkNeighborSource source = new NetlinkNeighborSource();
        source.activate(null, config("", 1 << 20), Map.of());

        // when a configuration with a 1000-byte buffer arrives
        source.modified(config("", 1000));

        // then the last good value stays in force
        assertEquals(1 << 20, source.receiveBufferBytes());
        source.deactivate();
    }

    @Test
    void fallsBackToTheDefaultWhenTheFirstBufferIsInvalid() {
        // given a first configuration with a buffer below the minimum
        NetlinkNeighborSource source = new NetlinkNeighborSource();
        source.activate(null, config("", 4095), Map.of());

        // then the default applies
        assertEquals(NetlinkNeighborSource.DEFAULT_RECEIVE_BUFFER, source.receiveBufferBytes());
        source.deactivate();
    }

    @Test
    void rejectsANamespaceThatIsNoNameUnderVarRunNetns() {
        // given a source for namespace asic0
        NetlinkNeighborSource source = new NetlinkNeighborSource();
        source.activate(null, config("asic0", 1 << 20), Map.of());

        // when a path-like or dot name arrives, then it is rejected and asic0 stays
        source.modified(config("../../etc", 1 << 20));
        assertEquals("asic0", source.namespace());
        source.modified(config("..", 1 << 20));
        assertEquals("asic0", source.namespace());

        // and an empty name means the daemon's own namespace
        source.modified(config("", 1 << 20));
        assertEquals("", source.namespace());
        source.deactivate();
    }

    @Test
    void allowsOneSubscriberAtATime() throws Exception {
        // given a subscribed source (in a namespace that does not exist: the reader just keeps retrying)
        NetlinkNeighborSource source = new NetlinkNeighborSource();
        source.activate(null, config("neighsyncd-test-no-such-ns", 1 << 20), Map.of());
        NeighborEventHandler handler = new RecordingHandler();
        AutoCloseable sub = source.subscribe(handler);

        // when a second subscriber comes, then it is refused
        assertThrows(IllegalStateException.class, () -> source.subscribe(new RecordingHandler()));

        // and after closing, a new subscriber is accepted
        sub.close();
        source.subscribe(handler).close();
        source.deactivate();
    }

    @Test
    void healthReportsTheRejectedValueUntilAGoodConfigurationArrives() {
        // given
        NetlinkNeighborSource source = new NetlinkNeighborSource();
        source.activate(null, config("", 1 << 20), Map.of());
        assertEquals(java.util.Set.of(), source.problems());
        // when
        source.modified(config("", 1000));
        // then
        assertEquals(1, source.problems().size());
        net.neighsyncd.api.health.Problem problem = source.problems().iterator().next();
        assertEquals(net.neighsyncd.api.health.Impact.DEGRADED, problem.impact(), "the last good configuration syncs on");
        org.junit.jupiter.api.Assertions.assertTrue(problem.reason()
                .contains("receiveBufferBytes=1000 must be at least 4096 bytes"), source.problems().toString());
        // when
        source.modified(config("", 1 << 21));
        assertEquals(java.util.Set.of(), source.problems());
        source.deactivate();
    }
}
