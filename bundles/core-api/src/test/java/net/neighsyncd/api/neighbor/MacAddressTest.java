package net.neighsyncd.api.neighbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MacAddressTest {

    @Test
    void printsLowerCaseWithColons() {
        assertEquals("0a:1b:2c:3d:4e:5f", MacAddress.of(new byte[] {0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f}).toString());
        assertEquals("aa:bb:cc:dd:ee:ff", MacAddress.parse("AA:BB:CC:DD:EE:FF").toString());
    }

    @Test
    void recognisesBroadcastAndZero() {
        assertTrue(MacAddress.parse("ff:ff:ff:ff:ff:ff").isBroadcast());
        assertTrue(MacAddress.parse("00:00:00:00:00:00").isZero());
    }

    @Test
    void rejectsMalformedText() {
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("aa:bb:cc:dd:ee"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("aa-bb-cc-dd-ee-ff"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("gg:bb:cc:dd:ee:ff"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[4]));
    }
}
