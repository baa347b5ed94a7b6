package net.neighsyncd.webconsole.internal;

import static net.neighsyncd.webconsole.internal.StatusPage.esc;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import net.neighsyncd.api.flightrecorder.FlightRecording;
import net.neighsyncd.api.flightrecorder.RecordingState;
import net.neighsyncd.api.profiling.StageHistogram;

/**
 * The HTML of the neighsyncd page's profiling part: the stage latencies the
 * {@code StageTimings} services report, and the Java Flight Recorder form and state.
 */
final class ProfilingPage {
    /** The form's fields. */
    static final String ACTION = "action";
    static final String START_JFR = "jfr-start";
    static final String SECONDS = "seconds";
    static final String TOKEN = "token";
    /** The last recording's file, under the page's path: with an extension, so the console draws no frame around it. */
    static final String DOWNLOAD = "neighsyncd.jfr";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ProfilingPage() {
    }

    /** The stage table: one row per histogram, in the stages' order. */
    static void stages(StringBuilder h, List<StageHistogram> histograms) {
        List<StageHistogram> sorted = new ArrayList<>(histograms);
        sorted.sort(Comparator.comparing(StageHistogram::stage));
        h.append("<table class=\"nicetable\" id=\"neighsyncd-stages\">\n<thead><tr><th>Stage</th><th>Timed</th>")
                .append("<th>Sampled</th><th>Mean</th><th>p50 &le;</th><th>p99 &le;</th></tr></thead>\n<tbody>\n");
        if (sorted.isEmpty()) {
            h.append("<tr><td colspan=\"6\">No part of the daemon reports stage latencies now.</td></tr>\n");
        }
        for (StageHistogram s : sorted) {
            h.append("<tr><td>").append(esc(s.stage().label())).append("</td><td>").append(s.count())
                    .append("</td><td>").append(s.sampleEvery() == 1 ? "every one" : "1 in " + s.sampleEvery())
                    .append("</td><td>").append(s.count() == 0 ? "-" : duration(s.sumNanos() / s.count()))
                    .append("</td><td>").append(quantile(s, 0.50)).append("</td><td>").append(quantile(s, 0.99))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /** The upper bound of the bucket holding quantile {@code q}, or {@code -} without samples. */
    static String quantile(StageHistogram s, double q) {
        if (s.count() == 0) {
            return "-";
        }
        long rank = (long) Math.ceil(q * s.count());
        for (int i = 0; i < s.boundsNanos().size(); i++) {
            if (s.cumulative().get(i) >= rank) {
                return duration(s.boundsNanos().get(i));
            }
        }
        return "&gt; " + duration(s.boundsNanos().get(s.boundsNanos().size() - 1));
    }

    /** Nanoseconds for a human: {@code 640 ns}, {@code 1.02 µs}, {@code 8.59 ms}, {@code 1.07 s}. */
    static String duration(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.3g µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
    }

    /**
     * The flight recorder: the last recording's state, the download link once one is done, and the
     * form that starts one ({@code POST} to {@code pageUrl} with the page's {@code token}), for
     * {@code minSeconds} to {@code maxSeconds}.
     */
    static void flightRecorder(StringBuilder h, FlightRecording last, long minSeconds, long maxSeconds,
            String pageUrl, String token) {
        h.append("<p class=\"statline\" id=\"neighsyncd-jfr-state\">Java Flight Recorder: ");
        switch (last.state()) {
            case NONE -> h.append("no recording yet.");
            case RECORDING -> h.append("recording ").append(last.duration().toSeconds()).append(" s since ")
                    .append(TIME.format(last.started())).append(" (reload to see it end).");
            case DONE -> h.append("recorded ").append(last.duration().toSeconds()).append(" s at ")
                    .append(TIME.format(last.started())).append(", ").append(last.bytes())
                    .append(" bytes: <a id=\"neighsyncd-jfr-download\" href=\"").append(esc(pageUrl)).append('/')
                    .append(DOWNLOAD)
                    .append("\">download</a> (open it in JDK Mission Control, or <code>jfr print</code>).");
            case FAILED -> h.append("the last recording failed: ").append(esc(String.valueOf(last.error())));
        }
        h.append("</p>\n");
        h.append("<form method=\"post\" action=\"").append(esc(pageUrl)).append("\" id=\"neighsyncd-jfr\" ")
                .append("class=\"ui-widget-header ui-corner-all\">")
                .append("<input type=\"hidden\" name=\"").append(ACTION).append("\" value=\"").append(START_JFR)
                .append("\"><input type=\"hidden\" name=\"").append(TOKEN).append("\" value=\"").append(esc(token))
                .append("\"><label for=\"neighsyncd-jfr-seconds\">Record for </label>")
                .append("<input type=\"number\" id=\"neighsyncd-jfr-seconds\" name=\"").append(SECONDS)
                .append("\" min=\"").append(minSeconds).append("\" max=\"").append(maxSeconds)
                .append("\" value=\"30\" required> seconds ")
                .append("<button type=\"submit\"").append(last.state() == RecordingState.RECORDING ? " disabled" : "")
                .append(">Start recording</button></form>\n");
    }

    /** In place of the recorder's part while no {@code FlightRecorder} service is registered. */
    static void noFlightRecorder(StringBuilder h) {
        h.append("<p class=\"statline\" id=\"neighsyncd-jfr-state\">Java Flight Recorder: not available "
                + "(no FlightRecorder service: the bundle net.neighsyncd.profiling is not active).</p>\n");
    }
}
