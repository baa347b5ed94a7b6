package net.neighsyncd.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.neighsyncd.api.flightrecorder.FlightRecording;
import net.neighsyncd.api.flightrecorder.RecordingState;
import net.neighsyncd.api.profiling.Stage;
import net.neighsyncd.api.profiling.StageHistogram;
import org.junit.jupiter.api.Test;

class ProfilingPageTest {
    private static final List<Long> BOUNDS = List.of(1_000L, 10_000L, 100_000L);

    @Test
    void givenStagesOutOfOrderWhenRenderedThenTheyAreRowsInTheSyncPathsOrderWithMeanAndQuantileBounds() {
        // given: 100 round trips, 98 of them up to 1 µs, 2 up to 100 µs; 16 decodes timed 1 in 16, all up to 1 µs
        StageHistogram rtt = new StageHistogram(Stage.REDIS_ROUNDTRIP, BOUNDS, List.of(98L, 98L, 100L), 100, 200_000, 1);
        StageHistogram decode = new StageHistogram(Stage.DECODE, BOUNDS, List.of(16L, 16L, 16L), 16, 3_200, 16);
        StringBuilder h = new StringBuilder();
        // when
        ProfilingPage.stages(h, List.of(rtt, decode));
        // then
        String html = h.toString();
        assertTrue(html.indexOf("<td>decode</td>") < html.indexOf("<td>redis_roundtrip</td>"), html);
        assertTrue(html.contains("<td>decode</td><td>16</td><td>1 in 16</td><td>200 ns</td><td>1.00 µs</td>"
                + "<td>1.00 µs</td>"), html);
        assertTrue(html.contains("<td>redis_roundtrip</td><td>100</td><td>every one</td><td>2.00 µs</td>"
                + "<td>1.00 µs</td><td>100 µs</td>"), html);
    }

    @Test
    void givenSamplesAboveTheLastBoundWhenTheQuantileIsAskedThenItSaysAboveTheLastBound() {
        StageHistogram slow = new StageHistogram(Stage.ENCODE, BOUNDS, List.of(0L, 0L, 0L), 3, 3_000_000, 1);
        assertEquals("&gt; 100 µs", ProfilingPage.quantile(slow, 0.5));
        assertEquals("-", ProfilingPage.quantile(new StageHistogram(Stage.ENCODE, BOUNDS, List.of(0L, 0L, 0L), 0, 0,
                1), 0.5));
    }

    @Test
    void givenThreeSamplesWhenTheMedianIsAskedThenItIsTheBucketOfTheSecondSample() {
        // given: one sample up to 1 µs, two up to 100 µs
        StageHistogram h = new StageHistogram(Stage.DIFF, BOUNDS, List.of(1L, 1L, 3L), 3, 150_000, 16);
        // then: the second of three samples decides the median
        assertEquals("100 µs", ProfilingPage.quantile(h, 0.5));
        assertEquals("1.00 µs", ProfilingPage.quantile(h, 0.3));
    }

    @Test
    void givenNoStageServiceWhenRenderedThenTheTableSaysSo() {
        StringBuilder h = new StringBuilder();
        ProfilingPage.stages(h, List.of());
        assertTrue(h.toString().contains("No part of the daemon reports stage latencies now."), h::toString);
    }

    @Test
    void givenARecordingRunningWhenTheFormIsRenderedThenItCarriesTheTokenAndItsButtonIsDisabled() {
        StringBuilder h = new StringBuilder();
        ProfilingPage.flightRecorder(h, new FlightRecording(1, RecordingState.RECORDING,
                Instant.parse("2026-12-07T06:00:00Z"), Duration.ofSeconds(30), 0, null), 1, 300,
                "/system/console/neighsyncd", "t0k\"en");
        String html = h.toString();
        assertTrue(html.contains("recording 30 s since 2026-12-07 06:00:00 UTC"), html);
        assertTrue(html.contains("<form method=\"post\" action=\"/system/console/neighsyncd\""), html);
        assertTrue(html.contains("name=\"token\" value=\"t0k&quot;en\""), html);
        assertTrue(html.contains("min=\"1\" max=\"300\""), html);
        assertTrue(html.contains("<button type=\"submit\" disabled>"), html);
        assertFalse(html.contains("neighsyncd-jfr-download"), html);
    }

    @Test
    void givenAFinishedRecordingWhenRenderedThenTheDownloadLinkIsTheFileUnderThePage() {
        StringBuilder h = new StringBuilder();
        ProfilingPage.flightRecorder(h, new FlightRecording(2, RecordingState.DONE,
                Instant.parse("2026-12-07T06:00:00Z"), Duration.ofSeconds(1), 12345, null), 1, 300,
                "/system/console/neighsyncd", "t");
        String html = h.toString();
        assertTrue(html.contains("12345 bytes: <a id=\"neighsyncd-jfr-download\" "
                + "href=\"/system/console/neighsyncd/neighsyncd.jfr\">download</a>"), html);
        assertTrue(html.contains("<button type=\"submit\">"), html);
    }

    @Test
    void givenNoRecorderServiceWhenRenderedThenThePageSaysWhichBundleIsMissingAndOffersNoForm() {
        StringBuilder h = new StringBuilder();
        ProfilingPage.noFlightRecorder(h);
        String html = h.toString();
        assertTrue(html.contains("net.neighsyncd.profiling is not active"), html);
        assertFalse(html.contains("<form"), html);
    }
}
