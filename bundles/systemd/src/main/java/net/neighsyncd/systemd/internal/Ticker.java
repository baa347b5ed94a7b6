package net.neighsyncd.systemd.internal;

/**
 * What calls the notifier's tick: one scheduler thread in the component ({@link SchedulerTicker}),
 * the test's own thread in tests, so that they decide when a tick happens.
 */
interface Ticker {
    /** Calls {@code tick} every {@code periodNanos}, the first time at once. Called once. */
    void start(Runnable tick, long periodNanos);

    /** Once this returns no tick runs any more, and none will. */
    void stop();
}
