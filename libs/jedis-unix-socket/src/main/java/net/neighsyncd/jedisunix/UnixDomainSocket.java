package net.neighsyncd.jedisunix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A {@link Socket} over a Unix domain stream socket, for clients such as Jedis that only know
 * {@code java.net.Socket}. It is backed by a non-blocking {@link SocketChannel} (Java 16+), so
 * it needs no native library, and it honours read timeouts: a read that sees no byte within
 * {@link #getSoTimeout()} milliseconds throws {@link SocketTimeoutException}; writes that
 * cannot progress for as long fail the same way. TCP options are accepted and ignored.
 *
 * <p>One thread reads and one thread writes at a time (what a Redis connection does), and a
 * reader waiting for a reply does not hold up a writer (a subscriber's PING or UNSUBSCRIBE);
 * {@link #close()} may come from any thread.
 */
public final class UnixDomainSocket extends Socket {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final Object stateLock = new Object();
    private SocketChannel channel;
    private Selector readSelector;
    private Selector writeSelector;
    private UnixDomainSocketAddress remote;
    private volatile int soTimeoutMillis;
    private volatile boolean closed;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private InputStream in;
    private OutputStream out;

    public UnixDomainSocket() {
        // the inherited SocketImpl is never created: every operation that would reach it is overridden
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    /**
     * Connects to a {@link UnixDomainSocketAddress}; waits at most {@code timeoutMillis} (0: no
     * limit) when the server's accept queue is full.
     */
    @Override
    public void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!(endpoint instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("not a Unix domain socket address: " + endpoint);
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("negative connect timeout: " + timeoutMillis);
        }
        synchronized (stateLock) {
            if (closed) {
                throw new SocketException("Socket is closed");
            }
            if (channel != null) {
                throw new SocketException("already connected");
            }
            UnixDomainSocketAddress address = (UnixDomainSocketAddress) endpoint;
            SocketChannel ch = SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            Selector rs = null;
            Selector ws = null;
            boolean ok = false;
            try {
                ch.configureBlocking(false);
                rs = Selector.open();
                ws = Selector.open();
                ch.register(rs, SelectionKey.OP_READ);
                SelectionKey connectKey = ch.register(ws, SelectionKey.OP_CONNECT);
                if (!ch.connect(address)) {
                    long deadline = timeoutMillis == 0 ? 0 : System.nanoTime() + timeoutMillis * 1_000_000L;
                    while (!ch.finishConnect()) {
                        long wait = remainingMillis(deadline);
                        if (wait < 0) {
                            throw new SocketTimeoutException(
                                    "connect to " + address.getPath() + " timed out after " + timeoutMillis + " ms");
                        }
                        ws.select(wait);
                        ws.selectedKeys().clear();
                        if (Thread.currentThread().isInterrupted()) {
                            throw new java.io.InterruptedIOException("connect to " + address.getPath() + " interrupted");
                        }
                    }
                }
                connectKey.interestOps(SelectionKey.OP_WRITE);
                this.channel = ch;
                this.readSelector = rs;
                this.writeSelector = ws;
                this.remote = address;
                this.in = new ChannelInput();
                this.out = new ChannelOutput();
                ok = true;
            } finally {
                if (!ok) {
                    closeQuietly(rs);
                    closeQuietly(ws);
                    closeQuietly(ch);
                }
            }
        }
    }

    /** Milliseconds left until {@code deadline} (0: none, wait without limit); negative once passed. */
    private static long remainingMillis(long deadline) {
        if (deadline == 0) {
            return 0;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return -1;
        }
        return Math.max(1, left / 1_000_000L);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        checkOpen();
        if (inputShutdown) {
            throw new SocketException("Socket input is shutdown");
        }
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        checkOpen();
        if (outputShutdown) {
            throw new SocketException("Socket output is shutdown");
        }
        return out;
    }

    private void checkOpen() throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (channel == null) {
            throw new SocketException("Socket is not connected");
        }
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        this.soTimeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        return soTimeoutMillis;
    }

    @Override
    public boolean isConnected() {
        return channel != null;
    }

    @Override
    public boolean isBound() {
        return channel != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    @Override
    public void shutdownInput() throws IOException {
        checkOpen();
        channel.shutdownInput();
        inputShutdown = true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        checkOpen();
        channel.shutdownOutput();
        outputShutdown = true;
    }

    @Override
    public void close() throws IOException {
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            // closing a selector wakes a reader or writer blocked in it
            closeQuietly(readSelector);
            closeQuietly(writeSelector);
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing useful to do when a close fails
            }
        }
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        SocketChannel ch = channel;
        if (ch == null) {
            return null;
        }
        try {
            return ch.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public InetAddress getInetAddress() {
        return null;
    }

    @Override
    public InetAddress getLocalAddress() {
        return null;
    }

    @Override
    public int getPort() {
        return 0;
    }

    @Override
    public int getLocalPort() {
        return -1;
    }

    // TCP options: meaningless on a Unix domain socket, accepted and ignored.

    @Override
    public void setTcpNoDelay(boolean on) {
        // no Nagle on a Unix domain socket
    }

    @Override
    public boolean getTcpNoDelay() {
        return true;
    }

    @Override
    public void setKeepAlive(boolean on) {
        // no keep-alive probes on a Unix domain socket
    }

    @Override
    public boolean getKeepAlive() {
        return false;
    }

    @Override
    public void setReuseAddress(boolean on) {
        // no address reuse on a client Unix domain socket
    }

    @Override
    public boolean getReuseAddress() {
        return false;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {
        // a Unix domain socket close never lingers
    }

    @Override
    public int getSoLinger() {
        return -1;
    }

    @Override
    public void setOOBInline(boolean on) {
        // no urgent data on a Unix domain socket
    }

    @Override
    public boolean getOOBInline() {
        return false;
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("urgent data is not supported on a Unix domain socket");
    }

    @Override
    public void setTrafficClass(int tc) {
        // no IP header
    }

    @Override
    public int getTrafficClass() {
        return 0;
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        // nothing to choose between
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("invalid send size");
        }
        setIntOption(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return getIntOption(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("invalid receive size");
        }
        setIntOption(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return getIntOption(StandardSocketOptions.SO_RCVBUF);
    }

    private void setIntOption(java.net.SocketOption<Integer> option, int value) throws SocketException {
        checkOpen();
        try {
            channel.setOption(option, value);
        } catch (IOException e) {
            throw asSocketException(e);
        }
    }

    private int getIntOption(java.net.SocketOption<Integer> option) throws SocketException {
        checkOpen();
        try {
            return channel.getOption(option);
        } catch (IOException e) {
            throw asSocketException(e);
        }
    }

    private static SocketException asSocketException(IOException e) {
        if (e instanceof SocketException) {
            return (SocketException) e;
        }
        SocketException se = new SocketException(e.getMessage());
        se.initCause(e);
        return se;
    }

    @Override
    public String toString() {
        if (channel == null) {
            return "UnixDomainSocket[unconnected]";
        }
        return "UnixDomainSocket[" + remote.getPath() + (closed ? ", closed]" : "]");
    }

    /** Waits on {@code selector} until its channel is ready or the read timeout passes. */
    private void await(Selector selector, long deadline, String what) throws IOException {
        long wait = remainingMillis(deadline);
        if (wait < 0) {
            throw new SocketTimeoutException(what + " timed out after " + soTimeoutMillis + " ms on " + remote.getPath());
        }
        try {
            selector.select(wait);
        } catch (ClosedChannelException | java.nio.channels.ClosedSelectorException e) {
            throw new SocketException("Socket closed");
        }
        if (closed) {
            throw new SocketException("Socket closed");
        }
        selector.selectedKeys().clear();
        if (Thread.currentThread().isInterrupted()) {
            // select() returns at once for an interrupted thread: give up instead of spinning
            throw new java.io.InterruptedIOException(what + " interrupted on " + remote.getPath());
        }
    }

    private long deadline() {
        int t = soTimeoutMillis;
        return t == 0 ? 0 : System.nanoTime() + t * 1_000_000L;
    }

    private final class ChannelInput extends InputStream {
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE).flip();
        private boolean eof;

        /** Reads what the channel has without waiting; -1 at end of stream. */
        private int fillNow() throws IOException {
            if (closed) {
                throw new SocketException("Socket closed");
            }
            buffer.compact();
            try {
                return channel.read(buffer);
            } catch (ClosedChannelException e) {
                throw new SocketException("Socket closed");
            } finally {
                buffer.flip();
            }
        }

        /** Makes at least one byte available, waiting up to the read timeout; false at end of stream. */
        private boolean fill() throws IOException {
            if (buffer.hasRemaining()) {
                return true;
            }
            if (eof) {
                return false;
            }
            long deadline = deadline();
            while (true) {
                int n = fillNow();
                if (n > 0) {
                    return true;
                }
                if (n < 0) {
                    eof = true;
                    return false;
                }
                await(readSelector, deadline, "read");
            }
        }

        @Override
        public int read() throws IOException {
            return fill() ? buffer.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        @Override
        public int available() throws IOException {
            if (!buffer.hasRemaining() && !eof && !closed) {
                if (fillNow() < 0) {
                    eof = true;
                }
            }
            return buffer.remaining();
        }

        @Override
        public void close() throws IOException {
            UnixDomainSocket.this.close();
        }
    }

    private final class ChannelOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ByteBuffer src = ByteBuffer.wrap(b, off, len);
            long deadline = -1;
            while (src.hasRemaining()) {
                if (closed) {
                    throw new SocketException("Socket closed");
                }
                int n;
                try {
                    n = channel.write(src);
                } catch (ClosedChannelException e) {
                    throw new SocketException("Socket closed");
                }
                if (n == 0) {
                    if (deadline == -1) {
                        deadline = deadline();
                    }
                    await(writeSelector, deadline, "write");
                } else {
                    deadline = -1;
                }
            }
        }

        @Override
        public void close() throws IOException {
            UnixDomainSocket.this.close();
        }
    }
}
