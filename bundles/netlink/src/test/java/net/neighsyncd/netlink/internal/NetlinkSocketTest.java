package net.neighsyncd.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import net.neighsyncd.libc.LibC;
import org.junit.jupiter.api.Test;

/** The event loop's receive on a real rtnetlink socket of this process's namespace. */
class NetlinkSocketTest {

    @Test
    void returnsMinusEagainWhenNothingIsQueuedInsteadOfThrowing() throws Exception {
        // given: a fresh socket that asked nothing and joined no group
        try (NetlinkSocket socket = NetlinkSocket.open(); Memory buffer = new Memory(8192)) {
            // when
            long n = socket.recvOrErrno(buffer, buffer.size(), LibC.MSG_DONTWAIT);
            // then
            assertEquals(-LibC.EAGAIN, n);
        }
    }

    @Test
    void returnsTheDatagramLengthWhenTheKernelAnswered() throws Exception {
        // given: a neighbor dump asked for (the kernel answers at least its NLMSG_DONE)
        try (NetlinkSocket socket = NetlinkSocket.open(); Memory buffer = new Memory(65536)) {
            socket.send(NetlinkCodec.encodeNeighborDumpRequest(socket.sendBuffer(), 1));
            assertTrue(socket.awaitReadable(5_000), "the kernel answers a dump request");
            // when
            long n = socket.recvOrErrno(buffer, buffer.size(), LibC.MSG_DONTWAIT);
            // then: at least one netlink header
            assertTrue(n >= 16, "length " + n);
        }
    }
}
