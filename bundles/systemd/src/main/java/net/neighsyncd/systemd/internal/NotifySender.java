package net.neighsyncd.systemd.internal;

import java.io.IOException;

/** Where sd_notify messages go: one datagram per call, {@code KEY=value} lines joined by newlines. */
interface NotifySender {
    void send(String message) throws IOException;
}
