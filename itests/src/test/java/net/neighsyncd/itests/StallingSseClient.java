package net.neighsyncd.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An event-stream client that reads only when asked, over a plain socket with a small receive
 * buffer: while the test does not ask, nothing is read and the server's writes back up, as with a
 * client that stalls. HTTP/1.0, so that the body is the stream itself (no chunks).
 */
final class StallingSseClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final String statusLine;

    StallingSseClient(int port, String path, String token) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
                + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 1024);
        statusLine = in.readLine();
        String header;
        do {
            header = in.readLine();
        } while (header != null && !header.isEmpty());
    }

    String statusLine() {
        return statusLine;
    }

    /** The next event, read now; fails at the end of the stream, or when none comes within a minute. */
    SseClient.Event next() throws IOException {
        SseClient.Event e = SseClient.nextEvent(in, System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60));
        if (e == null) {
            throw new AssertionError("the stream ended");
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
