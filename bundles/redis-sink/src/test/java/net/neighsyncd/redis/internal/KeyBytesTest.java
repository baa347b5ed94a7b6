package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import net.neighsyncd.api.neighbor.NeighborKey;
import org.junit.jupiter.api.Test;

/** The key bytes the batch script receives are those Jedis sends for the key's string. */
class KeyBytesTest {
    private static final byte[] PREFIX = "_NEIGH_TABLE:".getBytes(StandardCharsets.UTF_8);

    @Test
    void anIpv4KeyBehindThePrefixIsTheUtf8OfThePrefixedString() {
        NeighborKey key = NeighborKey.parse("Ethernet64:10.1.2.3");
        assertArrayEquals("_NEIGH_TABLE:Ethernet64:10.1.2.3".getBytes(StandardCharsets.UTF_8),
                KeyBytes.prefixed(PREFIX, KeyBytes.of(key)));
    }

    @Test
    void anIpv6KeyWithoutPrefixIsTheUtf8OfItsString() {
        NeighborKey key = NeighborKey.parse("Vlan1000:fc00::1:2");
        assertArrayEquals(key.toString().getBytes(StandardCharsets.UTF_8), KeyBytes.of(key));
    }

    @Test
    void anInterfaceNameOutsideAsciiIsEncodedAsUtf8() {
        NeighborKey key = NeighborKey.parse("eth\u00e9\u4e2d:10.0.0.1");
        assertArrayEquals(("_NEIGH_TABLE:" + key).getBytes(StandardCharsets.UTF_8),
                KeyBytes.prefixed(PREFIX, KeyBytes.of(key)));
    }

    @Test
    void anIpv6KeyBehindThePrefixIsTheUtf8OfThePrefixedString() {
        NeighborKey key = NeighborKey.parse("Ethernet8:fe80::1");
        assertArrayEquals("_NEIGH_TABLE:Ethernet8:fe80::1".getBytes(StandardCharsets.UTF_8),
                KeyBytes.prefixed(PREFIX, KeyBytes.of(key)));
    }
}
