package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.neighsyncd.api.engine.NudCategory;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import org.junit.jupiter.api.Test;

/** The engine's table of neighbor slots against plain maps doing the same. */
class NeighborTableTest {
    private static final int[] STATES = {NudState.REACHABLE, NudState.STALE, NudState.PERMANENT, NudState.FAILED,
            NudState.INCOMPLETE, NudState.NOARP, NudState.DELAY | NudState.PROBE};

    private final NeighborTable table = new NeighborTable();
    /** The kernel side of the same entries, counted only when asked. */
    private final Map<NeighborKey, NeighborMessage> kernel = new HashMap<>();
    private final Map<NeighborKey, MacAddress> applied = new HashMap<>();

    @Test
    void findsEverySlotAndCountsLikeAMapAfterEveryKindOfChange() {
        // given a random mix of sets, deletes the rules keep, kernel removals, applies, unapplies
        // and link removals over few enough keys that probe runs collide and shift back often
        Random random = new Random(20261207);
        for (int step = 0; step < 20000; step++) {
            NeighborKey key = randomKey(random);
            int op = random.nextInt(20);
            // when
            if (op < 8) {
                put(key, message(key, false, STATES[random.nextInt(STATES.length)]), step);
            } else if (op < 10) {
                put(key, message(key, true, NudState.REACHABLE), step);
            } else if (op < 13) {
                NeighborSlot s = table.get(key);
                if (s != null) {
                    table.clearKernel(s);
                    table.removeIfEmpty(s);
                }
                kernel.remove(key);
            } else if (op < 16) {
                MacAddress mac = MacAddress.ofBits(random.nextInt(1000));
                table.setApplied(table.getOrAdd(key), mac);
                applied.put(key, mac);
            } else if (op < 19) {
                NeighborSlot s = table.get(key);
                if (s != null) {
                    table.clearApplied(s);
                    table.removeIfEmpty(s);
                }
                applied.remove(key);
            } else {
                String ifname = key.ifname();
                for (NeighborSlot s : table.select(s -> s.ifname.equals(ifname))) {
                    table.clearKernel(s);
                    table.clearApplied(s);
                    table.removeIfEmpty(s);
                }
                kernel.keySet().removeIf(k -> k.ifname().equals(ifname));
                applied.keySet().removeIf(k -> k.ifname().equals(ifname));
            }
            // then
            assertTableMatches(step);
        }
    }

    @Test
    void aNeighborReportedDeletedIsKeptButNotCounted() {
        NeighborKey key = NeighborKey.parse("Ethernet0:10.0.0.1");
        // given
        NeighborSlot slot = table.getOrAdd(key);
        table.setMessage(slot, message(key, false, NudState.REACHABLE), true, 1);
        // when the rules keep its delete as the last message
        table.setMessage(slot, message(key, true, NudState.REACHABLE), false, 1);
        // then
        assertEquals(1, table.size());
        assertTrue(slot.inKernel());
        assertEquals(0, table.present());
        assertEquals(0, table.presentByFamily().get(Family.IPV4));
        assertEquals(0, table.presentByState().get(NudCategory.REACHABLE));
    }

    @Test
    void keepsTheLastAcceptedMessageWhenAnotherIsIgnored() {
        NeighborKey key = NeighborKey.parse("Ethernet0:fc00::1");
        NeighborMessage accepted = message(key, false, NudState.REACHABLE);
        NeighborMessage ignored = message(key, false, NudState.PROBE);
        // given
        NeighborSlot slot = table.getOrAdd(key);
        table.setMessage(slot, accepted, true, 1);
        // when
        table.setMessage(slot, ignored, false, 2);
        // then
        assertEquals(ignored, slot.message());
        assertTrue(slot.acceptedIsOlder());
        assertEquals(accepted, slot.acceptedMessage());
    }

    @Test
    void rebuildsTheMessageItKeptFieldByField() {
        NeighborKey key = NeighborKey.parse("Vlan1000:2001:db8::42");
        NeighborMessage m = new NeighborMessage(false, Family.AF_INET6, 7, "Vlan1000", key.ip(),
                MacAddress.parse("02:aa:bb:cc:dd:ee"), NudState.STALE, 0x10, "Vrf-red");
        // given
        NeighborSlot slot = table.getOrAdd(key);
        // when
        table.setMessage(slot, m, true, 3);
        // then
        assertEquals(m, slot.message());
        assertEquals(m, slot.acceptedMessage());
        assertEquals(key, slot.key());
        assertEquals(3, slot.generation());
    }

    @Test
    void keepsOneInterfaceNameObjectPerInterface() {
        // given two keys whose interface names are equal but distinct objects
        NeighborKey a = new NeighborKey(new String("Ethernet8"), IpAddress.parse("10.0.0.1"));
        NeighborKey b = new NeighborKey(new String("Ethernet8"), IpAddress.parse("10.0.0.2"));
        // when
        NeighborSlot sa = table.getOrAdd(a);
        NeighborSlot sb = table.getOrAdd(b);
        // then
        assertSame(sa.ifname, sb.ifname);
    }

    @Test
    void growsAndShrinksWithoutLosingASlot() {
        // given 100,000 sequential addresses
        for (int i = 0; i < 100_000; i++) {
            table.setApplied(table.getOrAdd(key(i)), MacAddress.ofBits(i));
        }
        // when every other one leaves, then the rest
        for (int i = 0; i < 100_000; i += 2) {
            NeighborSlot s = table.get(key(i));
            table.clearApplied(s);
            table.removeIfEmpty(s);
        }
        for (int i = 1; i < 100_000; i += 2) {
            assertEquals(i, table.get(key(i)).appliedMac(), "key " + i);
        }
        for (int i = 1; i < 100_000; i += 2) {
            NeighborSlot s = table.get(key(i));
            table.clearApplied(s);
            table.removeIfEmpty(s);
        }
        // then
        assertEquals(0, table.size());
        assertEquals(0, table.appliedCount());
        assertNull(table.get(key(1)));
    }

    private static NeighborKey key(int i) {
        return new NeighborKey("Ethernet0", IpAddress.ofBits(Family.IPV4, 0, 0x0A00_0000L + i));
    }

    private static NeighborKey randomKey(Random random) {
        String ip = random.nextBoolean() ? "10.0." + random.nextInt(4) + "." + random.nextInt(40)
                : "fc00::" + Integer.toHexString(random.nextInt(160));
        return NeighborKey.parse("Ethernet" + random.nextInt(3) * 4 + ":" + ip);
    }

    private void put(NeighborKey key, NeighborMessage m, int generation) {
        table.setMessage(table.getOrAdd(key), m, !m.deleted(), generation);
        kernel.put(key, m);
    }

    private void assertTableMatches(int step) {
        int present = 0;
        Map<Family, Integer> byFamily = new EnumMap<>(Family.class);
        Map<NudCategory, Integer> byState = new EnumMap<>(NudCategory.class);
        for (Family f : Family.values()) {
            byFamily.put(f, 0);
        }
        for (NudCategory c : NudCategory.values()) {
            byState.put(c, 0);
        }
        for (Map.Entry<NeighborKey, NeighborMessage> e : kernel.entrySet()) {
            if (!e.getValue().deleted()) {
                present++;
                byFamily.merge(e.getKey().ip().family(), 1, Integer::sum);
                byState.merge(NudCategory.of(e.getValue().state()), 1, Integer::sum);
            }
        }
        Set<NeighborKey> keys = new HashSet<>(kernel.keySet());
        keys.addAll(applied.keySet());
        assertEquals(keys.size(), table.size(), "step " + step);
        for (NeighborKey k : keys) {
            NeighborSlot s = table.get(k);
            assertNotNull(s, "step " + step + ": " + k);
            assertEquals(kernel.get(k), s.message(), "step " + step + ": " + k);
            MacAddress mac = applied.get(k);
            assertEquals(mac != null, s.applied(), "step " + step + ": " + k);
            if (mac != null) {
                assertEquals(mac.bits(), s.appliedMac(), "step " + step + ": " + k);
            }
        }
        assertEquals(applied.size(), table.appliedCount(), "step " + step);
        Map<String, Integer> perInterface = new HashMap<>();
        applied.keySet().forEach(k -> perInterface.merge(k.ifname(), 1, Integer::sum));
        assertEquals(perInterface, table.appliedByInterface(), "step " + step);
        assertEquals(present, table.present(), "step " + step);
        assertEquals(byFamily, table.presentByFamily(), "step " + step);
        assertEquals(byState, table.presentByState(), "step " + step);
    }

    private static NeighborMessage message(NeighborKey key, boolean deleted, int state) {
        IpAddress a = key.ip();
        return new NeighborMessage(deleted, a.family().addressFamily(), 3, key.ifname(), a,
                deleted ? null : MacAddress.parse("02:00:00:00:00:01"), state, 0);
    }
}
