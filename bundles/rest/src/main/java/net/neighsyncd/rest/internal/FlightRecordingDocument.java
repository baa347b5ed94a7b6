package net.neighsyncd.rest.internal;

import java.util.Locale;
import net.neighsyncd.api.flightrecorder.FlightRecorder;
import net.neighsyncd.api.flightrecorder.FlightRecording;
import net.neighsyncd.api.flightrecorder.RecordingState;

/**
 * The last flight recording as {@code /api/v1/flight-recording} writes it (openapi.json:
 * FlightRecording): with the durations the recorder takes, and where its file is once done.
 */
record FlightRecordingDocument(long id, String state, String started, long seconds, long bytes, String error,
        long minSeconds, long maxSeconds, String file) {

    static FlightRecordingDocument of(FlightRecorder recorder, FlightRecording r) {
        return new FlightRecordingDocument(r.id(), r.state().name().toLowerCase(Locale.ROOT),
                r.started() == null ? null : r.started().toString(), r.duration().toSeconds(), r.bytes(), r.error(),
                recorder.minDuration().toSeconds(), recorder.maxDuration().toSeconds(),
                r.state() == RecordingState.DONE ? FlightRecordingResource.FILE_PATH : null);
    }
}
