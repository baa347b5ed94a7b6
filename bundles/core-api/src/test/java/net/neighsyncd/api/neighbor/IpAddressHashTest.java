package net.neighsyncd.api.neighbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The address hash spreads the addresses a switch sees (long runs of neighbors in one subnet). */
class IpAddressHashTest {
    private static final int N = 100_000;

    /** The bucket a {@link java.util.HashMap} of 2^17 buckets puts a hash code in. */
    private static int bucket(int h) {
        return (h ^ (h >>> 16)) & ((1 << 17) - 1);
    }

    private static IpAddress v4(int i) {
        int a = 0x0a000000 + i;
        return IpAddress.of(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
    }

    private static IpAddress v6(int i) {
        byte[] b = new byte[16];
        b[0] = 0x20;
        b[1] = 0x01;
        b[2] = 0x0d;
        b[3] = (byte) 0xb8;
        b[12] = (byte) (i >>> 24);
        b[13] = (byte) (i >>> 16);
        b[14] = (byte) (i >>> 8);
        b[15] = (byte) i;
        return IpAddress.of(b);
    }

    @Test
    void sequentialIpv4AddressesAllHaveDistinctHashCodes() {
        // given 100,000 neighbors from 10.0.0.0 upwards
        Set<Integer> codes = new HashSet<>();
        for (int i = 0; i < N; i++) {
            codes.add(v4(i).hashCode());
        }
        // then no two share a code
        assertEquals(N, codes.size());
    }

    @Test
    void sequentialIpv6AddressesAllHaveDistinctHashCodes() {
        Set<Integer> codes = new HashSet<>();
        for (int i = 0; i < N; i++) {
            codes.add(v6(i).hashCode());
        }
        assertEquals(N, codes.size());
    }

    @Test
    void sequentialAddressesFillAHashMapsBucketsLikeRandomCodesWould() {
        // given 100,000 sequential IPv4 addresses in a map of 2^17 buckets: random codes fill
        // about 1 - e^(-100000/131072) = 53 % of them (69,600); a poor hash fills far fewer and
        // piles the rest into long chains
        Set<Integer> v4Buckets = new HashSet<>();
        Set<Integer> v6Buckets = new HashSet<>();
        for (int i = 0; i < N; i++) {
            v4Buckets.add(bucket(v4(i).hashCode()));
            v6Buckets.add(bucket(v6(i).hashCode()));
        }
        // then within a few percent of that
        assertTrue(v4Buckets.size() > 66_000, () -> v4Buckets.size() + " IPv4 buckets used");
        assertTrue(v6Buckets.size() > 66_000, () -> v6Buckets.size() + " IPv6 buckets used");
    }

    @Test
    void equalAddressesHaveEqualHashCodes() {
        assertEquals(IpAddress.parse("10.1.2.3").hashCode(), IpAddress.parse("10.1.2.3").hashCode());
        assertEquals(IpAddress.parse("fe80::1").hashCode(), IpAddress.parse("fe80::0:1").hashCode());
    }
}
