package net.neighsyncd.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.watch.NeighborOrder;
import org.junit.jupiter.api.Test;

class RowOrderTest {
    private static final String[] NAMES = {"Ethernet", "Ethernet0", "Ethernet4", "Ethernet12", "Ethernet004",
        "Ethernet4a", "Ethernet4.10", "Ethernet0012", "Ethernet1234567890", "Ethernet99999999999", "PortChannel1",
        "Vlan1000", "Vlan100", "eth0", "e", "Ethernet4-1", "Ethernet4_1", "Bridge", "Ethernet09", "Eth\u0001x", "Eth!0", "Eth\u001f", "Eth\"1"};
    private static final String[] IPS = {"10.0.0.1", "10.0.0.10", "10.0.0.9", "192.168.1.1", "0.0.0.0", "255.255.255.255",
        "fe80::1", "fc00::1", "::1", "2001:db8::ffff", "ff02::1:ff00:1", "8000::"};

    @Test
    void sortsAsPlainTextExactlyAsTheWatchOrdersKeys() {
        // given: every interface name against every other, with addresses of both families
        List<NeighborKey> keys = new ArrayList<>();
        for (String name : NAMES) {
            for (String ip : IPS) {
                keys.add(NeighborKey.parse(name + ":" + ip));
            }
        }
        // when / then: each pair compares the same way
        for (NeighborKey a : keys) {
            for (NeighborKey b : keys) {
                assertEquals(Integer.signum(NeighborOrder.compare(a, b)),
                        Integer.signum(RowOrder.sortKey(a).compareTo(RowOrder.sortKey(b))), a + " vs " + b);
            }
        }
    }

    @Test
    void holdsNoControlCharacterWhateverTheName() {
        String key = RowOrder.sortKey(NeighborKey.parse("Eth\u0001\u001f!9:10.0.0.1"));
        assertEquals(-1, key.chars().filter(c -> c < ' ').findFirst().orElse(-1), key);
    }

    @Test
    void sortsRandomNamesWithDigitRunsAsTheWatchDoes() {
        Random random = new Random(13);
        String alphabet = "0012349aZ.-_!\u0001\u0007";
        List<NeighborKey> keys = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder name = new StringBuilder("E");
            for (int n = random.nextInt(14); n > 0; n--) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            keys.add(NeighborKey.parse(name + ":10.0.0." + random.nextInt(3)));
        }
        for (NeighborKey a : keys) {
            for (NeighborKey b : keys) {
                assertEquals(Integer.signum(NeighborOrder.compare(a, b)),
                        Integer.signum(RowOrder.sortKey(a).compareTo(RowOrder.sortKey(b))), a + " vs " + b);
            }
        }
    }
}
