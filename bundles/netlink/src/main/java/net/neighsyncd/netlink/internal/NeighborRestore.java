package net.neighsyncd.netlink.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.neighbor.NeighborRecord;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.api.engine.SinkException;
import net.neighsyncd.api.warmrestart.WarmRestartStore;
import net.neighsyncd.libc.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the kernel neighbor restore, on a thread of its own: what SONiC's
 * {@code restore_neighbors.py} does on a system warm reboot (docs/sonic-contract.md §5).
 *
 * <ol>
 * <li>Reads the applied APPL_DB neighbors ({@link WarmRestartStore#readApplied()}), retried
 * every {@code retryMillis} while it fails.</li>
 * <li>Opens its netlink sockets in the namespace, then, round after round, lists the links and
 * writes the neighbors of every interface that exists and is up (IFF_UP) into the kernel as
 * NUD_STALE (RTM_NEWNEIGH create/replace, pipelined in batches, each acknowledged). A round ends
 * by waiting for a link change (RTNLGRP_LINK) or {@code retryMillis}. ENETDOWN and a missing
 * answer are retried in the next round; another errno skips that neighbor.</li>
 * <li>At the end, also when the timeout cut it short, something failed or the run was stopped,
 * sets {@code NEIGH_RESTORE_TABLE|Flags restored=true} ({@link WarmRestartStore#markNeighborsRestored()}),
 * retried for up to {@link #FLAG_RETRY_MILLIS} (once only when stopped), and logs one summary line.</li>
 * </ol>
 *
 * Steps 1 and 2 together are bounded by {@code timeoutMillis}.
 */
final class NeighborRestore {
    private static final Logger LOG = LoggerFactory.getLogger(NeighborRestore.class);

    /** Neighbors per pipelined RTM_NEWNEIGH datagram. */
    static final int BATCH = 64;
    /** How long the flag write is retried after the restore itself ended. */
    static final long FLAG_RETRY_MILLIS = 60_000;
    private static final long STOP_TIMEOUT_MILLIS = 5000;
    private static final int EXAMPLES = 5;
    /** The NUD state every restored neighbor gets: the kernel re-validates it on first use. */
    static final int STATE = NudState.STALE;

    /** Reasons a neighbor is skipped, as {@link Summary#skipped()} tells them. */
    static final String NO_SUCH_INTERFACE = "no such interface";
    static final String INTERFACE_DOWN = "interface down";
    static final String NAMESPACE_UNAVAILABLE = "network namespace unavailable";
    static final String NO_ANSWER = "no answer from the kernel";
    static final String STOPPED = "stopped";
    static final String FAILED = "restore failed";

    /** The kernel side of a run; {@link NetlinkRestoreKernel} is the real one. Used by the run's thread only. */
    interface Kernel extends AutoCloseable {
        /** The interfaces by name; {@code null} when they cannot be listed now. */
        Map<String, Link> links(long deadlineNanos);

        /**
         * Writes the neighbors into the kernel as NUD_STALE (create or replace).
         *
         * @return per write, in order: 0 when acknowledged, the kernel's errno, or -1 when no answer came
         */
        int[] replace(List<Write> writes, long deadlineNanos);

        /** Waits up to {@code millis} for a link change; returns early on one, or when the run is stopped. */
        void awaitLinkChange(long millis);

        @Override
        void close();
    }

    /**
     * Opens the kernel side in the run's thread; {@code wakeupFd} becomes readable and
     * {@code stopping} true when the run is stopped, which ends the kernel side's waits.
     */
    @FunctionalInterface
    interface KernelFactory {
        Kernel open(int wakeupFd, BooleanSupplier stopping) throws NetlinkException;
    }

    /** What the run's thread waits for between attempts. */
    enum Wait {
        /** Reading APPL_DB failed; the next read follows. */
        READ_RETRY,
        /** The netlink sockets could not be opened; the next try follows. */
        OPEN_RETRY,
        /** Neighbors are pending; a link change (or the retry interval) starts the next round. */
        LINK_CHANGE,
        /** Setting the restored flag failed; the next try follows. */
        FLAG_RETRY
    }

    /**
     * Told on the run's thread just before it waits, after its last look at {@link #stopping()}
     * (so only a stop's wakeup or a link change can end that wait early), with the longest the
     * wait can last. Tests follow a run by it; {@link #NO_WAIT_LISTENER} otherwise.
     */
    @FunctionalInterface
    interface WaitListener {
        void waiting(Wait wait, long millis);
    }

    static final WaitListener NO_WAIT_LISTENER = (wait, millis) -> {
    };

    /** One neighbor to write: the APPL_DB key, the interface index it resolved to, address and MAC. */
    record Write(NeighborKey key, int ifindex, byte[] address, long mac) {
    }

    /**
     * What a run did.
     *
     * @param total      neighbors read from APPL_DB (0 when they could not be read)
     * @param restored   neighbors the kernel acknowledged
     * @param skipped    the others, each with why (a reason constant or {@code errno N (NAME)})
     * @param tookMillis from the start of the run to the end of the flag write
     * @param flagSet    the restored flag was written
     */
    record Summary(int total, int restored, Map<NeighborKey, String> skipped, long tookMillis, boolean flagSet) {
    }

    private final String label;
    private final WarmRestartStore store;
    private final long timeoutMillis;
    private final long retryMillis;
    private final KernelFactory kernels;
    private final WaitListener waits;
    private final Wakeup wakeup;
    private final Thread thread;
    private final CompletableFuture<Summary> result = new CompletableFuture<>();
    private volatile boolean stopping;
    /** Neighbors the kernel acknowledged; the run's thread only. */
    private int restored;

    NeighborRestore(String namespace, WarmRestartStore store, long timeoutMillis, long retryMillis,
            KernelFactory kernels) throws NetlinkException {
        this(namespace, store, timeoutMillis, retryMillis, kernels, NO_WAIT_LISTENER);
    }

    /** With a listener told of each wait of the run (for tests). */
    NeighborRestore(String namespace, WarmRestartStore store, long timeoutMillis, long retryMillis,
            KernelFactory kernels, WaitListener waits) throws NetlinkException {
        this.label = namespace.isEmpty() ? "own network namespace" : "network namespace " + namespace;
        this.store = store;
        this.timeoutMillis = timeoutMillis;
        this.retryMillis = retryMillis;
        this.kernels = kernels;
        this.waits = waits;
        this.wakeup = new Wakeup();
        String name = namespace.isEmpty() ? "neighsyncd-kernel-restore" : "neighsyncd-kernel-restore[" + namespace + "]";
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The outcome, once the run has ended. */
    CompletableFuture<Summary> result() {
        return result;
    }

    boolean stopping() {
        return stopping;
    }

    /**
     * Stops the run and waits for its thread: kernel writes end, the flag is still tried once.
     * A store call in progress cannot be cut short; a thread still busy after the wait is logged.
     */
    void stop() {
        stopping = true;
        wakeup.signal();
        if (!ThreadJoin.awaitEnd(thread, STOP_TIMEOUT_MILLIS)) {
            LOG.warn("{}: kernel neighbor restore thread {} did not stop within {} ms (a store call has not "
                    + "returned); it ends when that call does", label, thread.getName(), STOP_TIMEOUT_MILLIS);
        }
        wakeup.release();
    }

    // ---------------------------------------------------------------- the run

    private void run() {
        long start = System.nanoTime();
        long deadline = start + timeoutMillis * 1_000_000L;
        Map<NeighborKey, String> skipped = new LinkedHashMap<>();
        int total = 0;
        try {
            Map<NeighborKey, NeighborRecord> records = readApplied(deadline);
            total = records.size();
            if (!records.isEmpty()) {
                restore(records, deadline, skipped);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{}: kernel neighbor restore failed; the restored flag is set anyway", label, e);
        } finally {
            try {
                boolean flag = markRestored();
                long took = (System.nanoTime() - start) / 1_000_000L;
                // anything neither restored nor accounted for (a failure mid-run) is skipped too
                int unaccounted = total - restored - skipped.size();
                Summary summary = new Summary(total, restored, Collections.unmodifiableMap(skipped), took, flag);
                LOG.info("{}: kernel neighbor restore {}: restored {} of {}, skipped {}, took {} ms{}", label,
                        stopping ? "stopped" : "done", restored, total, total - restored, took,
                        (unaccounted > 0 ? " (" + unaccounted + " lost to a failure)" : "")
                                + (flag ? "" : "; the restored flag could not be set"));
                result.complete(summary);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                throw e;
            } finally {
                wakeup.release();
            }
        }
    }

    /** The applied neighbors; empty when they could not be read before the deadline or the run was stopped. */
    private Map<NeighborKey, NeighborRecord> readApplied(long deadline) {
        int attempts = 0;
        while (!stopping) {
            attempts++;
            try {
                Map<NeighborKey, NeighborRecord> records = store.readApplied();
                if (attempts > 1) {
                    LOG.info("{}: read {} neighbors from APPL_DB at attempt {}", label, records.size(), attempts);
                }
                return records == null ? Map.of() : records;
            } catch (SinkException | RuntimeException e) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000L;
                if (leftMillis <= 0) {
                    LOG.warn("{}: gave up reading the neighbors from APPL_DB after {} attempts within {} ({}); "
                            + "nothing restored", label, attempts, timeoutText(), e.toString());
                    return Map.of();
                }
                if (attempts == 1) {
                    LOG.warn("{}: cannot read the neighbors from APPL_DB ({}); retrying every {} ms for up to {}",
                            label, e.toString(), retryMillis, timeoutText());
                }
                waitForWakeup(Wait.READ_RETRY, Math.min(retryMillis, leftMillis));
            }
        }
        return Map.of();
    }

    /**
     * Writes the neighbors of interfaces that are up, round after round, until all are written
     * or refused, the deadline passes or the run stops.
     *
     * Counts what the kernel acknowledged in {@link #restored}; every other neighbor ends in {@code skipped}.
     */
    private void restore(Map<NeighborKey, NeighborRecord> records, long deadline, Map<NeighborKey, String> skipped) {
        // by interface, each in key order (stable logs); removal of a written neighbor is O(1)
        Map<String, Map<NeighborKey, NeighborRecord>> pending = new TreeMap<>();
        List<NeighborRecord> sorted = new ArrayList<>(records.values());
        sorted.sort((a, b) -> a.key().toString().compareTo(b.key().toString()));
        for (NeighborRecord r : sorted) {
            pending.computeIfAbsent(r.key().ifname(), k -> new LinkedHashMap<>()).put(r.key(), r);
        }
        Map<NeighborKey, Integer> lastErrno = new HashMap<>();
        Map<Integer, List<NeighborKey>> refused = new TreeMap<>();
        Map<String, Link> links = null;
        int rounds = 0;
        Kernel kernel = null;
        String openError = null;
        try {
            while (!stopping) {
                if (kernel == null) {
                    try {
                        kernel = kernels.open(wakeup.fd(), this::stopping);
                        if (openError != null) {
                            LOG.info("{}: netlink sockets for the restore are open now", label);
                        }
                    } catch (NetlinkException e) {
                        if (openError == null) {
                            LOG.warn("{}: cannot open the netlink sockets for the restore ({}); retrying every {} ms",
                                    label, e.getMessage(), retryMillis);
                        }
                        openError = e.getMessage();
                    }
                }
                if (kernel != null) {
                    rounds++;
                    Map<String, Link> now = kernel.links(deadline);
                    if (now != null) {
                        links = now;
                        writeReady(kernel, links, pending, deadline, lastErrno, refused);
                    }
                }
                if (pending.isEmpty()) {
                    break;
                }
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000L;
                if (leftMillis <= 0 || stopping) {
                    break;
                }
                long millis = Math.min(retryMillis, leftMillis);
                // told after the last look at stopping: from here on only the wakeup ends the wait early
                if (kernel != null) {
                    waits.waiting(Wait.LINK_CHANGE, millis);
                    kernel.awaitLinkChange(millis);
                } else {
                    waitForWakeup(Wait.OPEN_RETRY, millis);
                }
            }
        } finally {
            if (kernel != null) {
                kernel.close();
            }
            // whatever is still pending is skipped, with why
            for (Map<NeighborKey, NeighborRecord> left : pending.values()) {
                for (NeighborKey key : left.keySet()) {
                    Integer errno = lastErrno.get(key);
                    Link link = links == null ? null : links.get(key.ifname());
                    String reason;
                    if (errno != null && errno > 0) {
                        refused.computeIfAbsent(errno, e -> new ArrayList<>()).add(key);
                        reason = errnoText(errno);
                    } else if (errno != null) {
                        reason = NO_ANSWER;
                    } else if (stopping) {
                        reason = STOPPED;
                    } else if (links == null) {
                        reason = NAMESPACE_UNAVAILABLE;
                    } else if (link == null) {
                        reason = NO_SUCH_INTERFACE;
                    } else if (!link.up()) {
                        reason = INTERFACE_DOWN;
                    } else {
                        reason = FAILED;
                    }
                    skipped.put(key, reason);
                }
            }
            for (Map.Entry<Integer, List<NeighborKey>> e : refused.entrySet()) {
                for (NeighborKey key : e.getValue()) {
                    skipped.put(key, errnoText(e.getKey()));
                }
            }
            report(skipped, refused, openError, links == null, rounds);
        }
    }

    /** One round's writes: every pending neighbor whose interface exists and is up. */
    private void writeReady(Kernel kernel, Map<String, Link> links, Map<String, Map<NeighborKey, NeighborRecord>> pending,
            long deadline, Map<NeighborKey, Integer> lastErrno, Map<Integer, List<NeighborKey>> refused) {
        List<Write> ready = new ArrayList<>();
        for (Map.Entry<String, Map<NeighborKey, NeighborRecord>> e : pending.entrySet()) {
            Link link = links.get(e.getKey());
            if (link != null && link.up()) {
                for (NeighborRecord r : e.getValue().values()) {
                    ready.add(new Write(r.key(), link.index(), r.key().ip().bytes(), r.mac().bits()));
                }
            }
        }
        for (int from = 0; from < ready.size() && !stopping; from += BATCH) {
            List<Write> batch = ready.subList(from, Math.min(ready.size(), from + BATCH));
            int[] answers = kernel.replace(batch, deadline);
            for (int i = 0; i < batch.size(); i++) {
                NeighborKey key = batch.get(i).key();
                int errno = answers[i];
                if (errno == 0) {
                    restored++;
                    lastErrno.remove(key);
                    done(pending, key);
                } else if (errno == LibC.ENETDOWN || errno < 0) {
                    lastErrno.put(key, errno); // transient: the next round tries again
                } else {
                    lastErrno.remove(key);
                    refused.computeIfAbsent(errno, x -> new ArrayList<>()).add(key);
                    done(pending, key);
                }
            }
        }
    }

    private static void done(Map<String, Map<NeighborKey, NeighborRecord>> pending, NeighborKey key) {
        Map<NeighborKey, NeighborRecord> left = pending.get(key.ifname());
        if (left != null) {
            left.remove(key);
            if (left.isEmpty()) {
                pending.remove(key.ifname());
            }
        }
    }

    /** One warn line for the interfaces that never came up, one per distinct errno, one for the rest. */
    private void report(Map<NeighborKey, String> skipped, Map<Integer, List<NeighborKey>> refused, String openError,
            boolean neverListed, int rounds) {
        List<String> notUp = new ArrayList<>();
        List<String> other = new ArrayList<>();
        int notUpCount = 0;
        int otherCount = 0;
        for (Map.Entry<NeighborKey, String> e : skipped.entrySet()) {
            String reason = e.getValue();
            if (reason.equals(NO_SUCH_INTERFACE) || reason.equals(INTERFACE_DOWN)) {
                notUpCount++;
                if (notUp.size() < EXAMPLES) {
                    notUp.add(e.getKey() + " (" + reason + ")");
                }
            } else if (!reason.startsWith("errno ") && !reason.equals(STOPPED)) {
                otherCount++;
                if (other.size() < EXAMPLES) {
                    other.add(e.getKey() + " (" + reason + ")");
                }
            }
        }
        if (notUpCount > 0) {
            LOG.warn("{}: skipped {} neighbors whose interface did not come up within {}, e.g. {}", label,
                    notUpCount, timeoutText(), String.join(", ", notUp));
        }
        for (Map.Entry<Integer, List<NeighborKey>> e : refused.entrySet()) {
            LOG.warn("{}: the kernel refused {} neighbors with {}, e.g. {}", label, e.getValue().size(),
                    errnoText(e.getKey()), e.getValue().get(0));
        }
        if (otherCount > 0) {
            LOG.warn("{}: skipped {} neighbors not written within {} ({} rounds{}), e.g. {}", label, otherCount,
                    timeoutText(), rounds,
                    neverListed && openError != null ? "; last socket error: " + openError : "",
                    String.join(", ", other));
        }
    }

    /** Sets the restored flag: retried for {@link #FLAG_RETRY_MILLIS}, tried once when stopping. */
    private boolean markRestored() {
        long until = System.nanoTime() + FLAG_RETRY_MILLIS * 1_000_000L;
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                store.markNeighborsRestored();
                if (attempts > 1) {
                    LOG.info("{}: set the neighbors-restored flag at attempt {}", label, attempts);
                }
                return true;
            } catch (SinkException | RuntimeException e) {
                long leftMillis = (until - System.nanoTime()) / 1_000_000L;
                if (stopping || leftMillis <= 0) {
                    LOG.error("{}: cannot set NEIGH_RESTORE_TABLE|Flags restored=true after {} attempts ({}); the "
                            + "daemon waits for it until its own restore wait ends", label, attempts, e.toString());
                    return false;
                }
                if (attempts == 1) {
                    LOG.warn("{}: cannot set NEIGH_RESTORE_TABLE|Flags restored=true ({}); retrying every {} ms for "
                            + "up to {} s", label, e.toString(), retryMillis, FLAG_RETRY_MILLIS / 1000);
                }
                waitForWakeup(Wait.FLAG_RETRY, Math.min(retryMillis, leftMillis));
            }
        }
    }

    /** Sleeps up to {@code millis}, less when stopped. */
    private void waitForWakeup(Wait wait, long millis) {
        if (!stopping && millis > 0) {
            waits.waiting(wait, millis);
            NetlinkRestoreKernel.poll(wakeup.fd(), -1, millis);
        }
    }

    /** The timeout for logs: whole seconds, or milliseconds when it is not a whole second. */
    private String timeoutText() {
        return timeoutMillis % 1000 == 0 ? timeoutMillis / 1000 + " s" : timeoutMillis + " ms";
    }

    /** {@code errno N (NAME)}, the name when known. */
    static String errnoText(int errno) {
        String name = switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 16 -> "EBUSY";
            case 17 -> "EEXIST";
            case LibC.ENODEV -> "ENODEV";
            case LibC.EINVAL -> "EINVAL";
            case 95 -> "EOPNOTSUPP";
            case 97 -> "EAFNOSUPPORT";
            case LibC.ENETDOWN -> "ENETDOWN";
            case LibC.ENOBUFS -> "ENOBUFS";
            default -> null;
        };
        return "errno " + errno + (name == null ? "" : " (" + name + ")");
    }
}
