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

    @Test
    void writeTextPutsTheTextOfToStringAtTheOffset() {
        MacAddress mac = MacAddress.parse("02:42:AC:11:00:0f");
        byte[] out = new byte[2 + MacAddress.TEXT_LENGTH];
        mac.writeText(out, 2);
        assertEquals(mac.toString(), new String(out, 2, MacAddress.TEXT_LENGTH, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0, out[0]);
    }
}
