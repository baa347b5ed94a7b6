package net.neighsyncd.unixdatagram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UnixAddressTest {

    @Test
    void buildsSockaddrUnForAPathWithItsNulAndForAnAbstractNameWithALeadingNul() {
        // given / when
        byte[] path = UnixAddress.sockaddr("/run/n");
        byte[] abstractName = UnixAddress.sockaddr("@n/x");
        // then
        assertArrayEquals(new byte[] { 1, 0, '/', 'r', 'u', 'n', '/', 'n', 0 }, path);
        assertArrayEquals(new byte[] { 1, 0, 0, 'n', '/', 'x' }, abstractName);
    }

    @Test
    void rejectsARelativeOrTooLongSocket() {
        // given / when / then
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.sockaddr("run/notify"));
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.sockaddr("/" + "x".repeat(107)));
        assertEquals(2 + 108, UnixAddress.sockaddr("@" + "x".repeat(107)).length);
    }
}
