package net.neighsyncd.itests;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One API of the daemon, the HTTP one or the gRPC one, as the behaviour tests that run over both
 * use it: the same questions, and the answers and failures in one vocabulary, so that one test
 * states what both must do.
 */
interface ApiTransport extends AutoCloseable {

    /** A failure, as both APIs have one for it (an HTTP status, a gRPC status code). */
    enum Failure {
        /** 400, INVALID_ARGUMENT. */
        INVALID,
        /** 401, UNAUTHENTICATED. */
        UNAUTHENTICATED,
        /** 403, PERMISSION_DENIED. */
        FORBIDDEN,
        /** 404, NOT_FOUND. */
        NOT_FOUND,
        /** 413 or 429, RESOURCE_EXHAUSTED. */
        EXHAUSTED,
        /** 503, UNAVAILABLE. */
        UNAVAILABLE,
        /** anything else: a test failure. */
        OTHER
    }

    /** An answer that is a failure. */
    final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final Failure failure;

        Refused(Failure failure, String detail) {
            super(failure + ": " + detail);
            this.failure = failure;
        }
    }

    /** One applied entry: its key, MAC, VRF and the kernel's state (lower case; null when none). */
    record Entry(String key, String mac, String vrf, String state) {
    }

    /** A page of the applied table, the revision it was read at, and the token of the next. */
    record Page(String history, long revision, List<Entry> entries, String next) {
    }

    /** A watch's event: a snapshot part, a change, or a reset. */
    record Event(Kind kind, String history, long revision, List<Entry> entries, boolean last, boolean delete,
            Entry entry, String reason) {
        enum Kind { SNAPSHOT, CHANGE, RESET }
    }

    /** An open watch. */
    interface Watch extends AutoCloseable {
        /** The next event, waiting up to {@code timeout}; fails when none comes. */
        Event next(Duration timeout) throws Exception;
    }

    /** The name of the API, for the test's display name. */
    String name();

    /**
     * A page of the applied table. {@code filter} keys: {@code interface}, {@code family}
     * ({@code IPv4}, {@code IPv6}), {@code vrf}, {@code mac} (a prefix), {@code state} (lower case).
     */
    Page list(String token, Map<String, String> filter, int pageSize, String pageToken) throws Refused;

    /** The verdict of the rules on one key ({@code synced}, {@code ignored}, ...). */
    String verdict(String token, String ifname, String ip) throws Refused;

    /** The pipeline's phase ({@code in_sync}, ...) of {@code namespace} (empty: the default). */
    String phase(String token, String namespace) throws Refused;

    /** Asks for a resync with {@code reason}; its id. */
    long resync(String token, String reason) throws Refused;

    /** A watch of the entries {@code filter} selects, from a snapshot or after {@code history:revision}. */
    Watch watch(String token, Map<String, String> filter, String history, long revision) throws Refused;

    @Override
    void close() throws Exception;
}
