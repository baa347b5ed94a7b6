package net.neighsyncd.api.profiling;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the daemon that times stages of the sync path: register it as a service and the
 * metrics bundle exports its histograms on {@code /metrics}
 * ({@code neighsyncd_stage_latency_seconds{stage="…"}}) and the Web Console's neighsyncd page
 * shows them, while the service is registered.
 *
 * <p>A stage should be timed by one service only; when two report the same stage with the same
 * bounds, consumers add them up, and a second one with other bounds is left out with a warning.
 */
@ConsumerType
public interface StageTimings {

    /**
     * The histograms of the stages this part times, now, at most one per stage. Called at scrape
     * time from any thread: it must be cheap (no I/O, no lock held for long). The recording
     * behind it must cost the timed path little: bounded, allocation-free, sampled where a stage
     * is much shorter than reading a clock.
     */
    List<StageHistogram> stages();
}
