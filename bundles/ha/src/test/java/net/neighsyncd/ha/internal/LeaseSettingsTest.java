package net.neighsyncd.ha.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeaseSettingsTest {
    @Test
    void aRenewalLessOftenThanThriceALeasesLifeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LeaseSettings(3000, 1500, 0));
        assertTrue(e.getMessage().contains("renewMillis=1500 must be at most a third of ttlMillis=3000"),
                e.getMessage());
    }

    @Test
    void aTakeoverDelayOfALeasesLifeOrMoreIsRefusedWithEveryOtherProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LeaseSettings(500, 50, 500));
        assertTrue(e.getMessage().contains("ttlMillis=500 is outside 1000..600000"), e.getMessage());
        assertTrue(e.getMessage().contains("renewMillis=50 is below 100"), e.getMessage());
        assertTrue(e.getMessage().contains("takeoverDelayMillis=500 must be from 0 to below ttlMillis=500"),
                e.getMessage());
    }

    @Test
    void renewingAThirdOfTheLifeAndTakingOverWithinItIsAccepted() {
        new LeaseSettings(3000, 1000, 2999);
    }
}
