package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import org.junit.jupiter.api.Test;

/** The kernel view's counts, kept as it changes, against a count over its entries. */
class KernelNeighborsTest {
    private static final int[] STATES = {NudState.REACHABLE, NudState.STALE, NudState.PERMANENT, NudState.FAILED,
            NudState.INCOMPLETE, NudState.NOARP, NudState.DELAY | NudState.PROBE};

    private final KernelNeighbors kernel = new KernelNeighbors();
    /** The same entries, counted only when asked. */
    private final Map<NeighborKey, KernelNeighbors.Entry> reference = new HashMap<>();

    @Test
    void countsEqualACountOverTheEntriesAfterEveryKindOfChange() {
        // given a random mix of sets, state changes, deletes the rules keep, removals and sweeps
        Random random = new Random(20261207);
        for (int step = 0; step < 5000; step++) {
            String ip = random.nextBoolean() ? "10.0." + random.nextInt(4) + "." + random.nextInt(40)
                    : "fc00::" + Integer.toHexString(random.nextInt(160));
            NeighborKey key = NeighborKey.parse("Ethernet" + random.nextInt(3) * 4 + ":" + ip);
            int op = random.nextInt(20);
            // when
            if (op < 12) {
                put(key, message(key, false, STATES[random.nextInt(STATES.length)]), step);
            } else if (op < 15) {
                put(key, message(key, true, NudState.REACHABLE), step);
            } else if (op < 18) {
                kernel.remove(key);
                reference.remove(key);
            } else if (op < 19) {
                String ifname = key.ifname();
                int before = reference.size();
                reference.keySet().removeIf(k -> k.ifname().equals(ifname));
                assertEquals(before - reference.size(), kernel.removeIf((k, e) -> k.ifname().equals(ifname)));
            } else {
                int before = step - 200;
                kernel.removeIf((k, e) -> e.generation < before);
                reference.values().removeIf(e -> e.generation < before);
            }
            // then
            assertCountsMatch(step);
        }
    }

    @Test
    void aNeighborReportedDeletedIsKeptButNotCounted() {
        NeighborKey key = NeighborKey.parse("Ethernet0:10.0.0.1");
        // given
        kernel.put(key, new KernelNeighbors.Entry(message(key, false, NudState.REACHABLE), null, 1));
        // when the rules keep its delete as the last message
        kernel.put(key, new KernelNeighbors.Entry(message(key, true, NudState.REACHABLE), null, 1));
        // then
        assertEquals(1, kernel.keys().size());
        assertEquals(0, kernel.present());
        assertEquals(0, kernel.presentByFamily().get(Family.IPV4));
        assertEquals(0, kernel.presentByState().get(NudCategory.REACHABLE));
    }

    private void put(NeighborKey key, NeighborMessage m, int generation) {
        KernelNeighbors.Entry e = new KernelNeighbors.Entry(m, m.deleted() ? null : m, generation);
        kernel.put(key, e);
        reference.put(key, e);
    }

    private void assertCountsMatch(int step) {
        int present = 0;
        Map<Family, Integer> byFamily = new EnumMap<>(Family.class);
        Map<NudCategory, Integer> byState = new EnumMap<>(NudCategory.class);
        for (Family f : Family.values()) {
            byFamily.put(f, 0);
        }
        for (NudCategory c : NudCategory.values()) {
            byState.put(c, 0);
        }
        for (Map.Entry<NeighborKey, KernelNeighbors.Entry> e : reference.entrySet()) {
            if (!e.getValue().message.deleted()) {
                present++;
                byFamily.merge(e.getKey().ip().family(), 1, Integer::sum);
                byState.merge(NudCategory.of(e.getValue().message.state()), 1, Integer::sum);
            }
        }
        assertEquals(reference.keySet(), kernel.keys(), "step " + step);
        assertEquals(present, kernel.present(), "step " + step);
        assertEquals(byFamily, kernel.presentByFamily(), "step " + step);
        assertEquals(byState, kernel.presentByState(), "step " + step);
    }

    private static NeighborMessage message(NeighborKey key, boolean deleted, int state) {
        IpAddress a = key.ip();
        return new NeighborMessage(deleted, a.family().addressFamily(), 3, key.ifname(), a,
                deleted ? null : MacAddress.parse("02:00:00:00:00:01"), state, 0);
    }
}
