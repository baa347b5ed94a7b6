package net.neighsyncd.profiling.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import net.neighsyncd.api.flightrecorder.FlightRecorder;
import net.neighsyncd.api.flightrecorder.FlightRecording;
import net.neighsyncd.api.flightrecorder.RecordingRefusedException;
import net.neighsyncd.api.flightrecorder.RecordingState;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FlightRecorder} on the JDK's {@code jdk.jfr}: recordings with the {@code default}
 * settings, for {@value #MIN_SECONDS} to {@value #MAX_SECONDS} seconds, written to
 * {@value #FILE_NAME} in the bundle's data area. A new recording deletes the file of the last
 * one; stopping the component stops a running recording and deletes the file.
 *
 * <p>The recorder stops each recording itself when its duration is over ({@link Recording#stop()}
 * writes the file before it returns), so a recording is {@code DONE} only with its whole file.
 * The JDK's own state changes are not waited for: it reports {@code STOPPED} before the file is
 * complete.
 */
@Component(service = FlightRecorder.class)
public final class JdkFlightRecorder implements FlightRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(JdkFlightRecorder.class);

    static final int MIN_SECONDS = 1;
    static final int MAX_SECONDS = 300;
    static final String FILE_NAME = "neighsyncd.jfr";
    /**
     * How long after its end a recording may take to be written. Past this (the stop hung, the
     * file could not be written) the recording is closed and failed.
     */
    static final Duration END_GRACE = Duration.ofSeconds(30);

    private final Path dir;
    private final Path file;
    private final java.time.Clock clock;
    /** Stops each recording when its duration is over. */
    private final java.util.concurrent.ScheduledExecutorService stopper =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "neighsyncd-jfr-stop");
                t.setDaemon(true);
                return t;
            });
    private Recording current;
    private java.util.concurrent.ScheduledFuture<?> stop;
    private FlightRecording last = FlightRecording.NONE;
    private CountDownLatch done = new CountDownLatch(0);

    @Activate
    public JdkFlightRecorder(BundleContext context) {
        this(dataDir(context), java.time.Clock.systemUTC());
    }

    /**
     * @param dir   where the file goes (created when missing)
     * @param clock when recordings start, and whether one is overdue
     */
    JdkFlightRecorder(Path dir, java.time.Clock clock) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.clock = clock;
    }

    private static Path dataDir(BundleContext context) {
        File data = context.getDataFile("jfr");
        return data != null ? data.toPath()
                : Path.of(System.getProperty("java.io.tmpdir"), "neighsyncd-jfr-" + ProcessHandle.current().pid());
    }

    @Override
    public Duration minDuration() {
        return Duration.ofSeconds(MIN_SECONDS);
    }

    @Override
    public Duration maxDuration() {
        return Duration.ofSeconds(MAX_SECONDS);
    }

    @Override
    public synchronized FlightRecording start(Duration duration) throws RecordingRefusedException {
        settleOverdue();
        if (duration == null || duration.compareTo(minDuration()) < 0 || duration.compareTo(maxDuration()) > 0
                || duration.getNano() != 0) {
            throw new RecordingRefusedException(RecordingRefusedException.Reason.INVALID_DURATION,
                    "the duration must be a whole number of seconds from " + MIN_SECONDS + " to " + MAX_SECONDS
                            + ", not " + (duration == null ? "none" : duration.toMillis() / 1000.0 + " s"));
        }
        if (last.state() == RecordingState.RECORDING) {
            throw new RecordingRefusedException(RecordingRefusedException.Reason.RECORDING_RUNNING,
                    "a recording of " + last.duration().toSeconds() + " s is running since " + last.started()
                            + "; start another once it is done");
        }
        long id = last.id() + 1;
        Recording r = null;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
            r = new Recording(Configuration.getConfiguration("default"));
            r.setName("neighsyncd-" + id);
            r.setToDisk(true);
            r.setDestination(file);
            current = r;
            done = new CountDownLatch(1);
            last = new FlightRecording(id, RecordingState.RECORDING, clock.instant(),
                    duration, 0, null);
            r.start();
            Recording started = r;
            stop = stopper.schedule(() -> stopAndFinish(started), duration.toNanos(), TimeUnit.NANOSECONDS);
            LOG.info("Java Flight Recorder: recording {} s into {}", duration.toSeconds(), file);
        } catch (IOException | ParseException | RuntimeException e) {
            if (r != null) {
                r.close();
            }
            current = null;
            last = new FlightRecording(id, RecordingState.FAILED, clock.instant(),
                    duration, 0, e.toString());
            done.countDown();
            LOG.warn("Java Flight Recorder: cannot record: {}", e.toString());
        }
        return last;
    }

    /** The stopper's thread: stops {@code r}, which writes its file, then reports it done. */
    private void stopAndFinish(Recording r) {
        try {
            r.stop();
        } catch (IllegalStateException e) {
            LOG.debug("flight recording already stopped or closed: {}", e.toString());
        }
        finished(r);
    }

    private synchronized void finished(Recording r) {
        if (r != current) {
            r.close();
            return;
        }
        current = null;
        try {
            r.close();
            long bytes = Files.size(file);
            last = new FlightRecording(last.id(), RecordingState.DONE,
                    last.started(), last.duration(), bytes, null);
            LOG.info("Java Flight Recorder: {} s recorded into {} ({} bytes)", last.duration().toSeconds(), file,
                    bytes);
        } catch (IOException e) {
            last = new FlightRecording(last.id(), RecordingState.FAILED,
                    last.started(), last.duration(), 0, "the recording ended without a file: " + e);
        }
        done.countDown();
    }

    @Override
    public synchronized FlightRecording last() {
        settleOverdue();
        return last;
    }

    /** Fails the running recording when it is more than {@link #END_GRACE} past its end and not written. */
    private void settleOverdue() {
        Recording r = current;
        if (r == null) {
            return;
        }
        if (clock.instant().isAfter(last.started().plus(last.duration()).plus(END_GRACE))) {
            current = null;
            r.close();
            last = new FlightRecording(last.id(), RecordingState.FAILED, last.started(), last.duration(), 0,
                    "the JDK did not end the recording within " + END_GRACE.toSeconds() + " s of its end (it "
                            + "could not write " + file + "?)");
            LOG.warn("Java Flight Recorder: {}", last.error());
            done.countDown();
        }
    }

    /** Opened under the lock, so a new recording cannot delete the file between the check and the open. */
    @Override
    public synchronized Optional<RecordingFile> openLast() throws IOException {
        settleOverdue();
        if (last.state() != RecordingState.DONE) {
            return Optional.empty();
        }
        return Optional.of(new RecordingFile(last, Files.newInputStream(file)));
    }

    /** Waits until the running recording (if any) is done or failed: for tests. */
    boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        CountDownLatch latch;
        synchronized (this) {
            latch = done;
        }
        return latch.await(timeout, unit);
    }

    /** The file the recordings go to: for tests. */
    Path file() {
        return file;
    }

    /** Stops a running recording and deletes the file. */
    @Deactivate
    synchronized void close() {
        if (stop != null) {
            stop.cancel(false);
        }
        stopper.shutdownNow();
        if (current != null) {
            current.close();
            current = null;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", file, e.toString());
        }
        last = FlightRecording.NONE;
        done.countDown();
    }
}
