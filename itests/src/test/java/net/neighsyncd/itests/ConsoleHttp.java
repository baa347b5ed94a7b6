package net.neighsyncd.itests;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to the daemon's Felix HTTP, which restarts once when etc/org.apache.felix.http.cfg is applied. */
final class ConsoleHttp {
    private ConsoleHttp() {
    }

    /** Sends, and again while the connection fails, for at most 5 s. */
    static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
