package net.neighsyncd.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.testsupport.SyncStatusBuilder;
import org.junit.jupiter.api.Test;

class StatusMemoTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final AtomicInteger reads = new AtomicInteger();
    private final StatusMemo memo = new StatusMemo(() -> {
        reads.incrementAndGet();
        return SyncStatusBuilder.inSync().messages(reads.get()).build();
    }, 100, clock::get);

    @Test
    void readsTheStatusAgainOnceItIsOlderThanTheMaxAge() {
        // given: a status read at 1000
        SyncStatus first = memo.get();

        // when: asked again within the max age, then past it
        clock.addAndGet(99);
        SyncStatus young = memo.get();
        clock.addAndGet(1);
        SyncStatus old = memo.get();

        // then: one read for the first two, a new one for the last
        assertSame(first, young);
        assertEquals(2, reads.get());
        assertEquals(2, old.counters().messages());
    }

    @Test
    void everyMeterOfOneScrapeReadsTheSameStatusHoweverLongTheScrapeTakes() {
        // given: a status read just before the max age ends
        memo.get();
        clock.addAndGet(99);

        // when: a scrape opens and the max age passes while its meters read
        SyncStatus atOpen;
        SyncStatus late;
        try (StatusMemo.Scrape scrape = memo.scrape()) {
            atOpen = memo.get();
            clock.addAndGet(500);
            late = memo.get();
        }

        // then: both meters saw one status; after the scrape a new one is read
        assertSame(atOpen, late);
        assertEquals(1, reads.get());
        assertEquals(2, memo.get().counters().messages());
    }

    @Test
    void aScrapeOpenedOnAnOldStatusReadsItAnew() {
        // given: a status past its max age
        memo.get();
        clock.addAndGet(100);

        // when: a scrape opens
        try (StatusMemo.Scrape scrape = memo.scrape()) {
            // then: it reads a fresh one
            assertEquals(2, memo.get().counters().messages());
        }
    }
}
