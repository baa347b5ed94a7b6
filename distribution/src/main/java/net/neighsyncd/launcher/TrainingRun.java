package net.neighsyncd.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.concurrent.TimeUnit;

/**
 * {@code --training-run}: the daemon started as usual, then stopped as soon as it reports ready,
 * so that the JVM it ran in has loaded the classes of a start (the sync path, the first write,
 * Felix HTTP, the console) and can write them into a class-data archive at exit
 * ({@code bin/neighsyncd --build-cds-archive}).
 */
final class TrainingRun {
    /** How long a start may take before the training run gives up. */
    static final long READY_TIMEOUT_SECONDS = 60;

    private TrainingRun() {
    }

    /** Waits for {@code /health/ready} to answer 200, stops the runtime; the exit status: 0 when it did. */
    static int awaitReadyThenStop(NeighsyncdRuntime runtime, PrintStream out) {
        boolean ready = false;
        try {
            ready = awaitReady(runtime.httpAddress(), System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int status = ready ? 0 : 1;
        if (!ready) {
            out.println("neighsyncd: training run: not ready within " + READY_TIMEOUT_SECONDS + " s");
        }
        try {
            runtime.stop();
        } catch (Exception e) {
            out.println("neighsyncd: training run: unclean stop: " + e);
            status = 1;
        }
        if (status == 0) {
            out.println("neighsyncd: training run: ready, stopped");
        }
        return status;
    }

    private static boolean awaitReady(InetSocketAddress http, long deadlineNanos) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            if (answersReady(http)) {
                return true;
            }
            // the console is not up yet, or the sync not done: ask again shortly
            Thread.sleep(50);
        }
        return false;
    }

    private static boolean answersReady(InetSocketAddress http) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http", http.getHostString(), http.getPort(), "/health/ready")
                    .openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(1000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }
}
