package net.neighsyncd.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;

/**
 * A Server-Sent Events client of {@code /api/v1/events} over the JDK's HTTP client, as a browser's
 * EventSource reads the stream: each event (name, id, data) is queued as it arrives.
 */
final class SseClient implements AutoCloseable {
    /** One event: its name, its id (null when it has none) and its data as JSON. */
    record Event(String name, String id, JSONObject data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final InputStream body;
    private final Thread reader;
    private final int status;
    private final String errorBody;

    private SseClient(HttpResponse<InputStream> response) throws IOException {
        status = response.statusCode();
        body = response.body();
        if (status != 200) {
            errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            reader = null;
            return;
        }
        errorBody = null;
        reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream at {@code url} with {@code token}, resuming after {@code lastEventId} when not null. */
    static SseClient open(HttpClient http, String url, String token, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return new SseClient(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return status;
    }

    String errorBody() {
        return errorBody;
    }

    /** The next event, waiting for it up to {@code timeout}; fails when none comes. */
    Event next(Duration timeout) throws InterruptedException {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return e;
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            Event e;
            while ((e = nextEvent(r)) != null) {
                events.add(e);
            }
        } catch (IOException e) {
            // the stream ended
        }
    }

    /** The next event {@code r} holds (comments skipped); null at the end of the stream. */
    static Event nextEvent(BufferedReader r) throws IOException {
        return nextEvent(r, Long.MAX_VALUE);
    }

    /**
     * As {@link #nextEvent(BufferedReader)}, failing when {@code deadline} ({@link System#nanoTime()})
     * passes first: a stream that sends only keep-alive comments never ends a read by itself.
     */
    static Event nextEvent(BufferedReader r, long deadline) throws IOException {
        String name = "message";
        String id = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no event before the deadline");
            }
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    return new Event(name, id, new JSONObject(data.toString()));
                }
                name = "message";
                id = null;
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
