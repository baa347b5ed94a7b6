package net.neighsyncd.profiling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import net.neighsyncd.api.flightrecorder.FlightRecorder;
import net.neighsyncd.api.flightrecorder.FlightRecording;
import net.neighsyncd.api.flightrecorder.RecordingRefusedException;
import net.neighsyncd.api.flightrecorder.RecordingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkFlightRecorderTest {
    @TempDir
    Path dir;

    private JdkFlightRecorder recorder;

    @AfterEach
    void close() {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void givenAOneSecondRecordingWhenTheRecorderSaysItEndedThenItsFileIsAReadableFlightRecording() throws Exception {
        // given
        recorder = new JdkFlightRecorder(dir.resolve("jfr"), java.time.Clock.systemUTC());
        // when
        FlightRecording started = recorder.start(Duration.ofSeconds(1));
        assertEquals(RecordingState.RECORDING, started.state());
        assertEquals(1, started.id());
        // then: bounded by the recorder's own state change (the timeout only fails a hung test)
        assertTrue(recorder.awaitDone(60, TimeUnit.SECONDS), "the recording never ended");
        FlightRecording done = recorder.last();
        assertEquals(RecordingState.DONE, done.state(), done::toString);
        assertEquals(Files.size(recorder.file()), done.bytes());
        Path copy = dir.resolve("copy.jfr");
        try (FlightRecorder.RecordingFile f = recorder.openLast().orElseThrow(); InputStream in = f.content()) {
            assertEquals(done, f.recording());
            Files.copy(in, copy);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(copy);
        assertFalse(events.isEmpty(), "a recording of the default settings holds events");
    }

    @Test
    void givenADurationOutsideOneToThreeHundredWholeSecondsWhenStartedThenItIsRefusedSayingTheRange() {
        recorder = new JdkFlightRecorder(dir, java.time.Clock.systemUTC());
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(301), Duration.ofSeconds(-1),
                Duration.ofMillis(1500), null}) {
            RecordingRefusedException e = assertThrows(RecordingRefusedException.class, () -> recorder.start(bad));
            assertTrue(e.getMessage().contains("from 1 to 300"), e.getMessage());
            assertEquals(RecordingRefusedException.Reason.INVALID_DURATION, e.reason());
        }
        assertEquals(FlightRecording.NONE, recorder.last());
    }

    @Test
    void givenARecordingRunningWhenAnotherIsStartedThenItIsRefusedAsRunning() throws Exception {
        // given
        recorder = new JdkFlightRecorder(dir, java.time.Clock.systemUTC());
        recorder.start(Duration.ofSeconds(300));
        // when
        RecordingRefusedException e = assertThrows(RecordingRefusedException.class,
                () -> recorder.start(Duration.ofSeconds(5)));
        // then
        assertEquals(RecordingRefusedException.Reason.RECORDING_RUNNING, e.reason());
        assertTrue(recorder.openLast().isEmpty(), "nothing to read while recording");
        assertTrue(e.getMessage().contains("is running"), e.getMessage());
        assertEquals(Duration.ofSeconds(300), recorder.last().duration());
    }

    @Test
    void givenAFinishedRecordingWhenANewOneStartsOrTheComponentStopsThenTheOldFileIsDeleted() throws Exception {
        // given
        recorder = new JdkFlightRecorder(dir, java.time.Clock.systemUTC());
        recorder.start(Duration.ofSeconds(1));
        assertTrue(recorder.awaitDone(60, TimeUnit.SECONDS));
        Path file = recorder.file();
        assertTrue(Files.size(file) > 0);
        // when a new one starts, then the superseded recording is gone (the JDK may create the new, empty file at once)
        FlightRecording second = recorder.start(Duration.ofSeconds(300));
        assertEquals(2, second.id());
        assertTrue(recorder.openLast().isEmpty());
        assertTrue(Files.notExists(file) || Files.size(file) == 0, () -> file + " still holds the last recording");
        // when the component stops, then nothing is left
        recorder.close();
        assertFalse(Files.exists(file));
        assertEquals(FlightRecording.NONE, recorder.last());
    }

    /** A clock the test moves. */
    private static final class MovableClock extends java.time.Clock {
        java.time.Instant now = java.time.Instant.parse("2026-12-07T06:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void givenARecordingNotWrittenWhenPastItsEndAndTheGraceThenItFailsAndAnotherMayStart()
            throws Exception {
        // given: a 300 s recording, on a clock the test moves (its real stop is 300 s away)
        MovableClock clock = new MovableClock();
        recorder = new JdkFlightRecorder(dir, clock);
        recorder.start(Duration.ofSeconds(300));
        // when: just within its end and the grace, then past them
        clock.now = clock.now.plusSeconds(300).plus(JdkFlightRecorder.END_GRACE);
        assertEquals(RecordingState.RECORDING, recorder.last().state());
        clock.now = clock.now.plusSeconds(1);
        FlightRecording failed = recorder.last();
        // then: failed, saying why, and the next start is not refused
        assertEquals(RecordingState.FAILED, failed.state());
        assertTrue(failed.error().contains("did not end the recording"), failed.error());
        assertTrue(recorder.awaitDone(1, TimeUnit.SECONDS), "a waiter is released");
        assertEquals(RecordingState.RECORDING, recorder.start(Duration.ofSeconds(300)).state());
    }
}
