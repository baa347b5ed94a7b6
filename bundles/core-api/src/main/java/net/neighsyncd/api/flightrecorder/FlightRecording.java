package net.neighsyncd.api.flightrecorder;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The last recording: what the recorder reports.
 *
 * @param id       counts the recordings since the recorder started (1 for the first; 0 with
 *                 {@link RecordingState#NONE})
 * @param state    where it stands
 * @param started  when it started; null with {@link RecordingState#NONE}
 * @param duration how long it records; {@link Duration#ZERO} with {@link RecordingState#NONE}
 * @param bytes    the size of its file once {@link RecordingState#DONE}, else 0
 * @param error    why it failed, with {@link RecordingState#FAILED}; else null
 */
public record FlightRecording(long id, RecordingState state, Instant started, Duration duration, long bytes,
        String error) {

    /** What a recorder that has recorded nothing reports. */
    public static final FlightRecording NONE = new FlightRecording(0, RecordingState.NONE, null, Duration.ZERO, 0,
            null);

    public FlightRecording {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(duration, "duration");
    }
}
