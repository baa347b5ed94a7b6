package net.neighsyncd.netlink.internal;

import com.sun.jna.LastErrorException;
import java.io.IOException;

/** A failed system call on a netlink socket or namespace file, with its errno. */
final class NetlinkException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    NetlinkException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    static NetlinkException of(String call, LastErrorException e) {
        return new NetlinkException(call + " failed: " + e.getMessage(), e.getErrorCode());
    }

    int errno() {
        return errno;
    }
}
