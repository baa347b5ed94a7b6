package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.neighsyncd.api.process.ProcessControl;
import org.junit.jupiter.api.Test;

class FatalStopTest {
    private final List<String> exits = new ArrayList<>();
    private final ProcessControl process = (status, reason) -> exits.add(status + " " + reason);

    @Test
    void asksTheProcessOwnerToExitWithStatusOne() {
        // given
        FatalStop stop = new FatalStop(() -> process);
        // when
        stop.fail("warm restart failed: no flag");
        // then
        assertEquals(List.of("1 warm restart failed: no flag"), exits);
        assertEquals(Optional.of("warm restart failed: no flag"), stop.reason());
    }

    @Test
    void withOtherPipelinesRunningOnlyThisOneFailsAndTheProcessStays() {
        // given another pipeline's engine beside this one
        FatalStop stop = new FatalStop(() -> process, () -> true);
        // when
        stop.fail("warm restart failed: no flag");
        // then: no exit, the failure reported
        assertEquals(List.of(), exits);
        assertEquals(Optional.of("warm restart failed: no flag"), stop.reason());
    }

    @Test
    void theFirstReasonWinsAndExitIsAskedOnce() {
        FatalStop stop = new FatalStop(() -> process);
        stop.fail("first");
        stop.fail("second");
        assertEquals(List.of("1 first"), exits);
        assertEquals(Optional.of("first"), stop.reason());
    }

    @Test
    void withoutAProcessOwnerTheFailureIsOnlyReported() {
        // given no process control service
        FatalStop stop = new FatalStop(() -> null);
        // when
        stop.fail("warm restart failed: no flag");
        // then
        assertTrue(exits.isEmpty());
        assertEquals(Optional.of("warm restart failed: no flag"), stop.reason());
    }
}
