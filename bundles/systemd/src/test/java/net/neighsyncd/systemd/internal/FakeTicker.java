package net.neighsyncd.systemd.internal;

/** A ticker whose ticks the test calls, on its own thread, when it chooses: a test double of {@link SchedulerTicker}. */
final class FakeTicker implements Ticker {
    private Runnable tick;
    private long periodNanos;
    private boolean stopped;

    @Override
    public void start(Runnable tick, long periodNanos) {
        this.tick = tick;
        this.periodNanos = periodNanos;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    /** One tick, as the scheduler would run it; nothing when none was started or after {@link #stop()}. */
    void tick() {
        if (tick != null && !stopped) {
            tick.run();
        }
    }

    boolean started() {
        return tick != null;
    }

    boolean stopped() {
        return stopped;
    }

    long periodNanos() {
        return periodNanos;
    }
}
