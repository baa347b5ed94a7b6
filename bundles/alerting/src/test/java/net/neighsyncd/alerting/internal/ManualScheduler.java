package net.neighsyncd.alerting.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduled executor that runs nothing by itself: the test thread runs what is due with
 * {@link #runDue()} and moves the time with {@link #advance(Duration)}, so what happens between
 * two assertions does not depend on how fast the machine is. Its time, in nanoseconds, is
 * {@link #nanoTime()}. Not thread-safe: one thread schedules and runs.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
    private long now;
    private long seq;
    private boolean shutdown;

    long nanoTime() {
        return now;
    }

    /** Runs the tasks due now, in order, including those they schedule for now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves the time forward by {@code d}, running each task at the time it is due. */
    void advance(Duration d) {
        long target = now + d.toNanos();
        for (Task t = queue.peek(); t != null && t.due <= target; t = queue.peek()) {
            queue.poll();
            now = Math.max(now, t.due);
            t.runOnce();
        }
        now = target;
    }

    private final class Task implements ScheduledFuture<Object> {
        final Runnable body;
        final long delay;
        long due;
        long seq;
        boolean cancelled;
        boolean done;

        Task(Runnable body, long due, long delay) {
            this.body = body;
            this.delay = delay;
            enqueue(due);
        }

        void enqueue(long at) {
            due = at;
            seq = ManualScheduler.this.seq++;
            queue.add(this);
        }

        void runOnce() {
            body.run();
            if (delay > 0 && !cancelled && !shutdown) {
                enqueue(now + delay);
            } else {
                done = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return queue.remove(this);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    private Task submitTask(Runnable r, long delay, TimeUnit unit, long period) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        return new Task(r, now + unit.toNanos(Math.max(0, delay)), unit.toNanos(period));
    }

    @Override
    public void execute(Runnable command) {
        submitTask(command, 0, TimeUnit.NANOSECONDS, 0);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return submitTask(command, delay, unit, 0);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay " + delay);
        }
        return submitTask(command, initialDelay, unit, delay);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("AlertEngine does not schedule this way");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("AlertEngine does not schedule this way");
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> out = new ArrayList<>();
        for (Task t : queue) {
            out.add(t.body);
        }
        queue.clear();
        return out;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
