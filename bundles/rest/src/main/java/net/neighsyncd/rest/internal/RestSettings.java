package net.neighsyncd.rest.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@link RestApi.Config}.
 *
 * @param maxQueryLength  longest query string accepted (characters)
 * @param maxEventClients most event streams open at once
 * @param eventLagLimit   most changes an event stream may fall behind the engine before it is reset
 *                        (at most the engine's watchHistory, or the history resets it first)
 * @param maxPageSize     most neighbors in one page
 * @param resyncMinIntervalSeconds shortest time between two resyncs of one pipeline asked over the API
 * @param maxRequestBytes largest request body accepted
 */
record RestSettings(int maxQueryLength, int maxEventClients, int eventLagLimit, int maxPageSize,
        long resyncMinIntervalSeconds, int maxRequestBytes) {

    static final RestSettings DEFAULTS = new RestSettings(2048, 8, 10_000, 1000, 10, 16_384);

    /**
     * Validates {@code c}.
     *
     * @throws IllegalArgumentException naming every problem, one after the other
     */
    static RestSettings of(RestApi.Config c) {
        List<String> problems = new ArrayList<>();
        range(problems, "maxQueryLength", c.maxQueryLength(), 64, 65_536);
        range(problems, "maxEventClients", c.maxEventClients(), 0, 1024);
        range(problems, "eventLagLimit", c.eventLagLimit(), 16, 10_000_000);
        range(problems, "maxPageSize", c.maxPageSize(), 1, 100_000);
        range(problems, "resyncMinIntervalSeconds", c.resyncMinIntervalSeconds(), 0, 86_400);
        range(problems, "maxRequestBytes", c.maxRequestBytes(), 0, 1_048_576);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new RestSettings(c.maxQueryLength(), c.maxEventClients(), c.eventLagLimit(), c.maxPageSize(),
                c.resyncMinIntervalSeconds(), c.maxRequestBytes());
    }

    private static void range(List<String> problems, String key, long v, long min, long max) {
        if (v < min || v > max) {
            problems.add(key + "=" + v + " is outside " + min + ".." + max);
        }
    }
}
