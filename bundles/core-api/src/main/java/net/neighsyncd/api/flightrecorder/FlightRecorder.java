package net.neighsyncd.api.flightrecorder;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Records the daemon's JVM with the Java Flight Recorder, one recording at a time, with the JDK's
 * {@code default} settings (made for production use: about 1 % overhead). A new recording
 * replaces the file of the last one. Thread-safe.
 */
@ProviderType
public interface FlightRecorder {

    /** The shortest recording {@link #start} takes. */
    Duration minDuration();

    /** The longest recording {@link #start} takes. */
    Duration maxDuration();

    /**
     * Starts a recording of {@code duration}. A recording that cannot start (no disk space, say)
     * is reported as {@link RecordingState#FAILED}, not thrown.
     *
     * @return the new recording, {@link RecordingState#RECORDING} or {@link RecordingState#FAILED}
     * @throws RecordingRefusedException when the duration is out of range or a recording is running
     */
    FlightRecording start(Duration duration) throws RecordingRefusedException;

    /** The last recording; {@link FlightRecording#NONE} before the first. */
    FlightRecording last();

    /**
     * The file of the last recording (a JFR file) when it is {@link RecordingState#DONE}, with the
     * recording it belongs to; the caller closes the stream. A recording started while the stream
     * is read does not cut it short.
     *
     * @throws IOException when the file cannot be opened
     */
    Optional<RecordingFile> openLast() throws IOException;

    /**
     * An open recording file.
     *
     * @param recording the recording it holds
     * @param content   its bytes
     */
    record RecordingFile(FlightRecording recording, InputStream content) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }
}
