package net.neighsyncd.webconsole.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java Flight Recorder recordings an operator starts from the Web Console: one at a time, for
 * {@value #MIN_SECONDS} to {@value #MAX_SECONDS} seconds, with the JDK's {@code default}
 * settings (made for continuous use in production: about 1 % overhead), written to
 * {@value #FILE_NAME} in a folder of the bundle's data area. A new recording replaces (deletes)
 * the file of the last one; {@link #close()} deletes it too.
 *
 * <p>The recording is done when the JDK says so: its state changes to stopped (or closed) after
 * the file was written, which a {@link FlightRecorderListener} hears.
 */
final class FlightRecordings implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlightRecordings.class);

    static final int MIN_SECONDS = 1;
    static final int MAX_SECONDS = 300;
    static final String FILE_NAME = "neighsyncd.jfr";

    enum State {
        /** Nothing recorded since the start. */
        NONE,
        RECORDING,
        /** The file of the last recording is there to download. */
        DONE,
        FAILED
    }

    /** What the page shows: the state, when the last recording started, for how long, its file's size, why it failed. */
    record Status(State state, Instant started, int seconds, long bytes, String error) {
    }

    /** A request the operator can correct: its message says how. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean conflict;

        Refused(String message, boolean conflict) {
            super(message);
            this.conflict = conflict;
        }
    }

    private final Path dir;
    private final Path file;
    private final FlightRecorderListener listener = new FlightRecorderListener() {
        @Override
        public void recordingStateChanged(Recording r) {
            RecordingState s = r.getState();
            if (s == RecordingState.STOPPED || s == RecordingState.CLOSED) {
                finished(r);
            }
        }
    };
    private Recording current;
    private Status status = new Status(State.NONE, null, 0, 0, null);
    private CountDownLatch done = new CountDownLatch(0);
    private boolean listening;

    /** @param dir where the file goes (created when missing) */
    FlightRecordings(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
    }

    /**
     * Starts a recording of {@code secondsText} seconds.
     *
     * @throws Refused when the duration is not a whole number from {@value #MIN_SECONDS} to
     *                 {@value #MAX_SECONDS}, or a recording is running ({@link Refused#conflict})
     */
    synchronized Status start(String secondsText) throws Refused {
        int seconds;
        try {
            seconds = Integer.parseInt(secondsText == null ? "" : secondsText.strip());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new Refused("the duration must be a whole number of seconds from " + MIN_SECONDS + " to "
                    + MAX_SECONDS + ", not '" + secondsText + "'", false);
        }
        if (status.state() == State.RECORDING) {
            throw new Refused("a recording of " + status.seconds() + " s is running since " + status.started()
                    + "; start another once it is done", true);
        }
        if (!listening) {
            FlightRecorder.addListener(listener);
            listening = true;
        }
        Recording r = null;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
            r = new Recording(Configuration.getConfiguration("default"));
            r.setName("neighsyncd-webconsole");
            r.setToDisk(true);
            r.setDestination(file);
            r.setDuration(Duration.ofSeconds(seconds));
            current = r;
            done = new CountDownLatch(1);
            status = new Status(State.RECORDING, Instant.now(), seconds, 0, null);
            r.start();
            LOG.info("Java Flight Recorder: recording {} s into {}", seconds, file);
        } catch (IOException | ParseException | RuntimeException e) {
            if (r != null) {
                r.close();
            }
            current = null;
            status = new Status(State.FAILED, Instant.now(), seconds, 0, e.toString());
            done.countDown();
            LOG.warn("Java Flight Recorder: cannot record: {}", e.toString());
        }
        return status;
    }

    private synchronized void finished(Recording r) {
        if (r != current) {
            return;
        }
        current = null;
        long bytes;
        try {
            bytes = Files.size(file);
            status = new Status(State.DONE, status.started(), status.seconds(), bytes, null);
            LOG.info("Java Flight Recorder: {} s recorded into {} ({} bytes)", status.seconds(), file, bytes);
        } catch (IOException e) {
            status = new Status(State.FAILED, status.started(), status.seconds(), 0,
                    "the recording ended without a file: " + e);
        }
        done.countDown();
    }

    synchronized Status status() {
        return status;
    }

    /** The file of the last recording, once it is done; else null. */
    synchronized Path file() {
        return status.state() == State.DONE ? file : null;
    }

    /** Waits until the running recording (if any) is done or failed: for tests. */
    boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        CountDownLatch latch;
        synchronized (this) {
            latch = done;
        }
        return latch.await(timeout, unit);
    }

    /** Stops a running recording and deletes the file. */
    @Override
    public synchronized void close() {
        if (listening) {
            FlightRecorder.removeListener(listener);
            listening = false;
        }
        if (current != null) {
            current.close();
            current = null;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", file, e.toString());
        }
        status = new Status(State.NONE, null, 0, 0, null);
        done.countDown();
    }
}
