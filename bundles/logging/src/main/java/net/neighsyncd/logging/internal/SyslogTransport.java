package net.neighsyncd.logging.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import net.neighsyncd.unixdatagram.UnixDatagramSender;

/** Sends a formatted syslog message: one datagram, never waiting for a slow receiver. */
interface SyslogTransport extends AutoCloseable {

    void send(byte[] message) throws IOException;

    @Override
    void close();

    static SyslogTransport open(SyslogTarget target) throws IOException {
        if (target.udp()) {
            InetSocketAddress to = new InetSocketAddress(target.udpHost(), target.udpPort());
            DatagramSocket socket = new DatagramSocket();
            return new SyslogTransport() {
                @Override
                public void send(byte[] message) throws IOException {
                    socket.send(new DatagramPacket(message, message.length, to));
                }

                @Override
                public void close() {
                    socket.close();
                }
            };
        }
        UnixDatagramSender sender = new UnixDatagramSender(target.address());
        return new SyslogTransport() {
            @Override
            public void send(byte[] message) throws IOException {
                sender.send(message);
            }

            @Override
            public void close() {
                sender.close();
            }
        };
    }
}
