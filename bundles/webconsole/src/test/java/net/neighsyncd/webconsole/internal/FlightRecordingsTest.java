package net.neighsyncd.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlightRecordingsTest {
    @TempDir
    Path dir;

    private FlightRecordings recordings;

    @AfterEach
    void close() {
        if (recordings != null) {
            recordings.close();
        }
    }

    @Test
    void givenAOneSecondRecordingWhenTheRecorderSaysItEndedThenItsFileIsAReadableFlightRecording() throws Exception {
        // given
        recordings = new FlightRecordings(dir.resolve("jfr"));
        // when
        FlightRecordings.Status started = recordings.start("1");
        assertEquals(FlightRecordings.State.RECORDING, started.state());
        assertNull(recordings.file(), "nothing to download while recording");
        // then: bounded by the recorder's own state change (the timeout only fails a hung test)
        assertTrue(recordings.awaitDone(60, TimeUnit.SECONDS), "the recording never ended");
        FlightRecordings.Status done = recordings.status();
        assertEquals(FlightRecordings.State.DONE, done.state(), done::toString);
        Path file = recordings.file();
        assertEquals(dir.resolve("jfr").resolve(FlightRecordings.FILE_NAME), file);
        assertEquals(Files.size(file), done.bytes());
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertFalse(events.isEmpty(), "a recording of the default settings holds events");
    }

    @Test
    void givenADurationOutsideOneToThreeHundredSecondsWhenStartedThenItIsRefusedSayingTheRange() {
        recordings = new FlightRecordings(dir);
        for (String bad : new String[] {"0", "301", "-1", "abc", "", null, "1.5"}) {
            FlightRecordings.Refused e = assertThrows(FlightRecordings.Refused.class, () -> recordings.start(bad));
            assertTrue(e.getMessage().contains("from 1 to 300"), e.getMessage());
            assertFalse(e.conflict);
        }
        assertEquals(FlightRecordings.State.NONE, recordings.status().state());
    }

    @Test
    void givenARecordingRunningWhenAnotherIsStartedThenItIsRefusedAsAConflict() throws Exception {
        // given
        recordings = new FlightRecordings(dir);
        recordings.start("300");
        // when
        FlightRecordings.Refused e = assertThrows(FlightRecordings.Refused.class, () -> recordings.start("5"));
        // then
        assertTrue(e.conflict);
        assertTrue(e.getMessage().contains("is running"), e.getMessage());
        assertEquals(300, recordings.status().seconds());
    }

    @Test
    void givenAFinishedRecordingWhenANewOneStartsOrTheComponentStopsThenTheOldFileIsDeleted() throws Exception {
        // given
        recordings = new FlightRecordings(dir);
        recordings.start("1");
        assertTrue(recordings.awaitDone(60, TimeUnit.SECONDS));
        Path file = recordings.file();
        assertTrue(Files.exists(file));
        // when a new one starts, then the superseded recording is gone (the JDK may create the new, empty file at once)
        recordings.start("300");
        assertNull(recordings.file());
        assertTrue(Files.notExists(file) || Files.size(file) == 0, () -> file + " still holds the last recording");
        // when the component stops, then nothing is left
        recordings.close();
        assertFalse(Files.exists(file));
        assertEquals(FlightRecordings.State.NONE, recordings.status().state());
    }
}
