package net.neighsyncd.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Jedis over a Unix domain socket for tests, with the JDK alone. Blocking and without read
 * timeouts (tests bound their own time); reads and writes go straight to the channel, so a
 * subscriber blocked in a read does not stop another thread from writing (unsubscribe).
 */
final class UnixSocketJedisFactory implements JedisSocketFactory {
    private final Path path;

    UnixSocketJedisFactory(Path path) {
        this.path = path;
    }

    @Override
    public Socket createSocket() {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            return new ChannelSocket(ch, path);
        } catch (IOException e) {
            throw new JedisConnectionException("cannot connect to unix:" + path + ": " + e, e);
        }
    }

    private static final class ChannelSocket extends Socket {
        private final SocketChannel ch;
        private final Path path;
        private volatile int soTimeout;
        private volatile boolean closed;
        private final InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        };

        ChannelSocket(SocketChannel ch, Path path) {
            this.ch = ch;
            this.path = path;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            if (closed) {
                throw new SocketException("Socket is closed");
            }
            return in;
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            if (closed) {
                throw new SocketException("Socket is closed");
            }
            return out;
        }

        @Override
        public void setSoTimeout(int timeout) {
            soTimeout = timeout; // kept for Jedis, not enforced
        }

        @Override
        public int getSoTimeout() {
            return soTimeout;
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public boolean isBound() {
            return true;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public boolean isInputShutdown() {
            return false;
        }

        @Override
        public boolean isOutputShutdown() {
            return false;
        }

        @Override
        public synchronized void close() throws IOException {
            closed = true;
            ch.close();
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return null;
        }

        @Override
        public void setTcpNoDelay(boolean on) {
        }

        @Override
        public void setKeepAlive(boolean on) {
        }

        @Override
        public void setReuseAddress(boolean on) {
        }

        @Override
        public void setSoLinger(boolean on, int linger) {
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }
}
