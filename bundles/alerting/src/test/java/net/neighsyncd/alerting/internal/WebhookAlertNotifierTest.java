package net.neighsyncd.alerting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import net.neighsyncd.api.Alert;
import org.junit.jupiter.api.Test;

class WebhookAlertNotifierTest {

    @Test
    void retriesWithBackoffUntilA2xxWithoutBlockingTheCaller() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Long> at = new CopyOnWriteArrayList<>();
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            at.add(System.nanoTime());
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(calls.incrementAndGet() < 3 ? 503 : 200, -1);
            ex.close();
        });
        server.start();
        WebhookAlertNotifier n = new WebhookAlertNotifier();
        try {
            n.activate(Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
                    "retries", "5", "backoffMillis", "100", "timeoutMillis", "1000"));
            long start = System.nanoTime();
            n.notify(new Alert("r", Alert.State.FIRING, Alert.Severity.WARNING, Map.of(), "", 1.0, Instant.now()));
            assertTrue(System.nanoTime() - start < 500_000_000L, "notify returned at once");
            long end = System.nanoTime() + 5_000_000_000L;
            while (calls.get() < 3 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            Thread.sleep(400);
            assertEquals(3, calls.get());
            assertTrue(at.get(1) - at.get(0) >= 90_000_000L, "first backoff 100 ms");
            assertTrue(at.get(2) - at.get(1) >= 190_000_000L, "second backoff 200 ms");
            assertTrue(bodies.get(2).contains("\"state\":\"FIRING\""), bodies.get(2));
        } finally {
            n.deactivate();
            server.stop(0);
        }
    }
}
