package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import org.junit.jupiter.api.Test;

/** A sink's outbox against a LinkedHashMap of the same changes (what it replaced). */
class OutboxTest {
    private final Outbox outbox = new Outbox();

    @Test
    void keepsTheNewestChangeOfAKeyInThePlaceItsFirstChangeTook() {
        // given
        outbox.offer(set("Ethernet0:10.0.0.1", 1), 100);
        outbox.offer(set("Ethernet0:10.0.0.2", 2), 200);
        // when
        outbox.offer(delete("Ethernet0:10.0.0.1"), 300);
        // then
        List<SinkWriter.Pending> taken = outbox.take(10);
        assertEquals(List.of(delete("Ethernet0:10.0.0.1"), set("Ethernet0:10.0.0.2", 2)),
                taken.stream().map(SinkWriter.Pending::change).toList());
        assertEquals(100, taken.get(0).readNanos());
        assertTrue(outbox.isEmpty());
    }

    @Test
    void aFailedChangeYieldsToANewerOneButKeepsItsOlderReadTime() {
        // given a change taken, then a newer one of its key
        outbox.offer(set("Ethernet0:10.0.0.1", 1), 100);
        List<SinkWriter.Pending> failed = outbox.take(10);
        outbox.offer(set("Ethernet0:10.0.0.1", 2), 500);
        // when the first one fails
        outbox.putBack(failed.get(0).change(), failed.get(0).readNanos());
        // then
        List<SinkWriter.Pending> taken = outbox.take(10);
        assertEquals(List.of(set("Ethernet0:10.0.0.1", 2)), taken.stream().map(SinkWriter.Pending::change).toList());
        assertEquals(100, taken.get(0).readNanos());
    }

    @Test
    void keepsTheHostRouteOfAnEvpnSet() {
        // given
        NeighborChange c = NeighborChange.setReplacingHostRoute(
                new NeighborRecord(NeighborKey.parse("Vlan100:10.1.0.1"), MacAddress.ofBits(7)), "Vrf-red");
        // when
        outbox.offer(c, 0);
        // then
        assertEquals(c, outbox.take(1).get(0).change());
    }

    @Test
    void behavesLikeALinkedHashMapUnderEveryOperation() {
        // given the semantics the outbox had as a LinkedHashMap
        Map<NeighborKey, SinkWriter.Pending> reference = new LinkedHashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 20000; step++) {
            NeighborKey key = NeighborKey.parse("Ethernet" + random.nextInt(2) * 4 + ":"
                    + (random.nextBoolean() ? "10.0.0." + random.nextInt(60) : "fc00::" + random.nextInt(60)));
            NeighborChange c = random.nextInt(4) == 0 ? NeighborChange.delete(key)
                    : NeighborChange.set(new NeighborRecord(key, MacAddress.ofBits(random.nextInt(5))));
            long read = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1000);
            int op = random.nextInt(10);
            // when
            if (op < 5) {
                outbox.offer(c, read);
                SinkWriter.Pending before = reference.get(key);
                reference.put(key, new SinkWriter.Pending(c,
                        before == null ? read : SinkWriter.oldest(before.readNanos(), read)));
            } else if (op < 7) {
                outbox.putBack(c, read);
                reference.merge(key, new SinkWriter.Pending(c, read), (newer, failed) -> new SinkWriter.Pending(
                        newer.change(), SinkWriter.oldest(failed.readNanos(), newer.readNanos())));
            } else if (op < 9) {
                int max = 1 + random.nextInt(30);
                List<SinkWriter.Pending> expected = new ArrayList<>();
                for (Iterator<SinkWriter.Pending> it = reference.values().iterator(); it.hasNext()
                        && expected.size() < max;) {
                    expected.add(it.next());
                    it.remove();
                }
                assertEquals(expected, outbox.take(max), "step " + step);
            } else {
                long mac = random.nextInt(5);
                outbox.removeIf(x -> x.op() == NeighborChange.Op.SET && x.record().mac().bits() == mac);
                reference.values().removeIf(p -> p.change().op() == NeighborChange.Op.SET
                        && p.change().record().mac().bits() == mac);
            }
            // then
            assertEquals(reference.size(), outbox.size(), "step " + step);
            long oldest = 0;
            for (SinkWriter.Pending p : reference.values()) {
                oldest = SinkWriter.oldest(oldest, p.readNanos());
            }
            assertEquals(oldest, outbox.oldestReadNanos(), "step " + step);
        }
        assertEquals(new ArrayList<>(reference.values()), outbox.take(Integer.MAX_VALUE));
    }

    private static NeighborChange set(String key, long mac) {
        return NeighborChange.set(new NeighborRecord(NeighborKey.parse(key), MacAddress.ofBits(mac)));
    }

    private static NeighborChange delete(String key) {
        return NeighborChange.delete(NeighborKey.parse(key));
    }
}
