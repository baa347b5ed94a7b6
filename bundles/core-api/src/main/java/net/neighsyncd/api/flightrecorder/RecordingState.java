package net.neighsyncd.api.flightrecorder;

/** Where the last recording stands. */
public enum RecordingState {
    /** Nothing recorded since the recorder started. */
    NONE,
    RECORDING,
    /** The recording ended and its file is there to read. */
    DONE,
    /** The recording could not start or ended without a file: {@link FlightRecording#error()} says why. */
    FAILED
}
