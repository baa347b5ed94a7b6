package net.neighsyncd.api.neighbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Key text must be what inet_ntop prints: SONiC builds the APPL_DB key from it. */
class IpAddressTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "10.0.0.1, 10.0.0.1",
        "0.0.0.0, 0.0.0.0",
        "FC00:0000:0000:0000:0000:0000:0000:0002, fc00::2",
        "fe80:0:0:0:0:0:0:1, fe80::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:0:0:0:0:0, 1::",
        "0:0:0:0:0:ffff:a00:1, ::ffff:10.0.0.1",
        "0:0:0:0:0:0:a00:1, ::10.0.0.1",
        "ff02:0:0:0:0:1:ff00:1, ff02::1:ff00:1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
    })
    void printsLikeInetNtop(String input, String expected) {
        assertEquals(expected, IpAddress.parse(input).toString());
    }

    @Test
    void parsesWhatTheJdkParsesToTheSameBytes() throws Exception {
        // given
        String[] samples = {"fc00::2", "2001:db8::ff00:42:8329", "192.168.100.254"};
        for (String s : samples) {
            // when / then
            assertEquals(java.util.Arrays.toString(InetAddress.getByName(s).getAddress()),
                    java.util.Arrays.toString(IpAddress.parse(s).bytes()), s);
        }
    }

    @Test
    void rejectsMalformedText() {
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("10.0.0"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("10.0.0.256"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("1::2::3"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("fe80::1%eth0"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("1:2:3:4:5:6:7:8:9"));
    }

    @Test
    void knowsLinkLocalRanges() {
        assertTrue(IpAddress.parse("169.254.3.4").isLinkLocal());
        assertFalse(IpAddress.parse("169.253.3.4").isLinkLocal());
        assertTrue(IpAddress.parse("fe80::1").isLinkLocal());
        assertTrue(IpAddress.parse("febf::1").isLinkLocal());
        assertFalse(IpAddress.parse("fec0::1").isLinkLocal());
        assertTrue(IpAddress.parse("ff02::1").isMulticastLinkLocal());
        assertFalse(IpAddress.parse("ff05::1").isMulticastLinkLocal());
        assertFalse(IpAddress.parse("10.0.0.1").isMulticastLinkLocal());
    }

    @ParameterizedTest(name = "{0} as two longs and back")
    @CsvSource({"10.0.0.1", "255.255.255.255", "0.0.0.0", "fc00::2", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "8000::1", "::ffff:10.0.0.1"})
    void keepsItsValueAsTwoLongs(String text) {
        // given
        IpAddress a = IpAddress.parse(text);
        // when
        IpAddress back = IpAddress.ofBits(a.family(), a.high(), a.low());
        // then
        assertEquals(a, back);
        assertEquals(text, back.toString());
        assertEquals(a.hashCode(), back.hashCode());
    }

    @Test
    void readsTheBitsInNetworkOrder() {
        // given
        IpAddress v4 = IpAddress.parse("10.0.0.1");
        IpAddress v6 = IpAddress.parse("fc00::1:2");
        // then
        assertEquals(0, v4.high());
        assertEquals(0x0A00_0001L, v4.low());
        assertEquals(0xFC00_0000_0000_0000L, v6.high());
        assertEquals(0x0000_0000_0001_0002L, v6.low());
    }

    @Test
    void refusesAnIpv4AddressWiderThan32Bits() {
        assertThrows(IllegalArgumentException.class, () -> IpAddress.ofBits(Family.IPV4, 0, 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.ofBits(Family.IPV4, 1, 0));
    }
}
