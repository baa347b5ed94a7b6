package net.neighsyncd.core.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the views. Work arrives as tasks in a bounded queue; when the queue
 * is full the producer (the netlink reader) blocks, the kernel socket fills and overflows, and
 * the overflow is repaired by a resync — the queue never grows without bound.
 */
final class EngineThread {
    private static final Logger LOG = LoggerFactory.getLogger(EngineThread.class);
    private static final Runnable POISON = () -> { };

    private final BlockingQueue<Runnable> queue;
    private final Thread thread;
    /** Runs on the engine thread before each task. */
    private final Runnable beforeEachTask;

    EngineThread(String name, int capacity) {
        this(name, capacity, () -> { });
    }

    /** {@code beforeEachTask} runs on the engine thread before every task (it must be cheap when it has nothing to do). */
    EngineThread(String name, int capacity, Runnable beforeEachTask) {
        this.beforeEachTask = beforeEachTask;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a task, waiting for room. */
    void submit(Runnable task) {
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while queueing engine work; task dropped until the next resync");
        }
    }

    /** Queues a task when there is room; false when the queue is full. */
    boolean offer(Runnable task) {
        return queue.offer(task);
    }

    int depth() {
        return queue.size();
    }

    /**
     * Runs {@code task} on the engine thread and waits for it, up to the timeout, which counts the
     * wait for room in the queue too: false when the task was not queued or did not run in time.
     */
    boolean runAndWait(Runnable task, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        CountDownLatch done = new CountDownLatch(1);
        Runnable wrapped = () -> {
            try {
                task.run();
            } finally {
                done.countDown();
            }
        };
        // a stopped engine takes no more work: nothing is left queued behind it
        if (!thread.isAlive() || !queue.offer(wrapped, timeout, unit)) {
            return false;
        }
        return done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Lets queued work finish, then stops the thread. */
    void stop(long timeout, TimeUnit unit) throws InterruptedException {
        submit(POISON);
        thread.join(unit.toMillis(timeout));
    }

    private void run() {
        while (true) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == POISON) {
                return;
            }
            try {
                beforeEachTask.run();
            } catch (RuntimeException e) {
                LOG.error("engine work before a task failed; the engine keeps running", e);
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("engine task failed; the engine keeps running", e);
            }
        }
    }
}
