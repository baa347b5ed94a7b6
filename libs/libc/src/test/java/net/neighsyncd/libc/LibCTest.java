package net.neighsyncd.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.LastErrorException;
import org.junit.jupiter.api.Test;

class LibCTest {
    @Test
    void aCallThatSucceedsReturnsWhatLibcReturns() {
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        assertTrue(fd >= 0, "fd " + fd);
        assertEquals(0, LibC.close(fd));
    }

    @Test
    void aCallThatFailsThrowsItsErrno() {
        LastErrorException e = assertThrows(LastErrorException.class, () -> LibC.close(-1));
        assertEquals(LibC.EBADF, e.getErrorCode());
    }
}
