package net.neighsyncd.alerting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.neighsyncd.api.alerting.Alert;
import org.junit.jupiter.api.Test;

class WebhookAlertNotifierTest {
    /** Only ends a wait that would otherwise hang on a broken build; no passing run comes near it. */
    private static final long STUCK_SECONDS = 30;

    /** A retry the notifier asked for: its wait, and the send the test runs in its place. */
    private record Retry(long delayMillis, Runnable send) {
    }

    @Test
    void retriesWithBackoffUntilA2xxWithoutBlockingTheCaller() throws Exception {
        // given: a server that answers 503 twice, then 200, and holds its first answer until the
        // caller has its hands back; a notifier whose retries are handed to the test, not waited for
        AtomicInteger calls = new AtomicInteger();
        List<String> bodies = new CopyOnWriteArrayList<>();
        CountDownLatch callerBack = new CountDownLatch(1);
        AtomicBoolean answeredBeforeTheCallerWasBack = new AtomicBoolean();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            int call = calls.incrementAndGet();
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (call == 1) {
                try {
                    answeredBeforeTheCallerWasBack.set(!callerBack.await(STUCK_SECONDS, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.sendResponseHeaders(call < 3 ? 503 : 200, -1);
            ex.close();
        });
        server.start();
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        WebhookAlertNotifier n = new WebhookAlertNotifier((send, delayMillis) -> events.add(new Retry(delayMillis, send)));
        try {
            n.activate(Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
                    "retries", "5", "backoffMillis", "100", "timeoutMillis", "" + STUCK_SECONDS * 2000));

            // when: an alert is notified
            CompletableFuture<Boolean> delivered = n.deliver(
                    new Alert("r", Alert.State.FIRING, Alert.Severity.WARNING, Map.of(), "", 1.0, Instant.now()));
            callerBack.countDown();
            delivered.whenComplete((ok, error) -> events.add(ok != null ? ok : error));

            // then: the caller had its hands back before the server answered
            // and each failure asks for one retry, waiting 100 ms, then 200 ms
            Retry first = (Retry) next(events);
            assertFalse(answeredBeforeTheCallerWasBack.get(), "the caller waited for the server's answer");
            assertEquals(100, first.delayMillis(), "first backoff");
            first.send().run();
            Retry second = (Retry) next(events);
            assertEquals(200, second.delayMillis(), "second backoff, doubled");
            second.send().run();

            // and the 200 ends the sending: delivered is the last thing that happens to this alert
            assertEquals(Boolean.TRUE, next(events));
            assertEquals(List.of(), List.copyOf(events));
            assertEquals(3, calls.get());
            assertTrue(bodies.get(2).contains("\"state\":\"FIRING\""), bodies.get(2));
        } finally {
            n.deactivate();
            server.stop(0);
        }
    }

    private static Object next(BlockingQueue<Object> events) throws InterruptedException {
        Object e = events.poll(STUCK_SECONDS, TimeUnit.SECONDS);
        assertNotNull(e, "nothing happened");
        return e;
    }
}
