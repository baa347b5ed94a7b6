package net.neighsyncd.api.flightrecorder;

import java.util.Objects;

/** A recording the recorder did not start; the message says what the operator can do about it. */
public final class RecordingRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** The duration is outside {@link FlightRecorder#minDuration()} to {@link FlightRecorder#maxDuration()}. */
        INVALID_DURATION,
        /** A recording is running: one at a time. */
        RECORDING_RUNNING
    }

    private final Reason reason;

    public RecordingRefusedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
