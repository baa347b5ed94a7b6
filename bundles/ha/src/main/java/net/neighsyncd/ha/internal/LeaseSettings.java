package net.neighsyncd.ha.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * How the leader lease is kept, in milliseconds. The three depend on each other: a renewal comes
 * at least three times within the lease's life (so that one or two late renewals do not lose it),
 * and a standby waits less than a lease's life after it expires before taking over.
 *
 * @param ttlMillis           how long a lease lives without a renewal
 * @param renewMillis         how often the leader renews it; at most a third of {@code ttlMillis}
 * @param takeoverDelayMillis how long a standby waits, once the lease is gone, before it takes it;
 *                            less than {@code ttlMillis}
 */
record LeaseSettings(long ttlMillis, long renewMillis, long takeoverDelayMillis) {

    /**
     * @throws IllegalArgumentException naming every value out of its range and every order that
     *                                  does not hold
     */
    LeaseSettings {
        List<String> problems = new ArrayList<>();
        if (ttlMillis < 1000 || ttlMillis > 600_000) {
            problems.add("ttlMillis=" + ttlMillis + " is outside 1000..600000");
        }
        if (renewMillis < 100) {
            problems.add("renewMillis=" + renewMillis + " is below 100");
        } else if (renewMillis * 3 > ttlMillis) {
            problems.add("renewMillis=" + renewMillis + " must be at most a third of ttlMillis=" + ttlMillis);
        }
        if (takeoverDelayMillis < 0 || takeoverDelayMillis >= ttlMillis) {
            problems.add("takeoverDelayMillis=" + takeoverDelayMillis + " must be from 0 to below ttlMillis="
                    + ttlMillis);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
