package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.neighsyncd.api.engine.NeighborFilter;
import org.junit.jupiter.api.Test;

class RankedFiltersTest {
    private final RankedFilters filters = new RankedFilters();
    private final NeighborFilter a = Optional::of;
    private final NeighborFilter b = Optional::of;
    private final NeighborFilter c = Optional::of;

    @Test
    void appliesTheHighestRankingFirstThenTheOldestService() {
        // given
        filters.put(a, Map.of("service.id", 7L));
        filters.put(b, Map.of("service.id", 9L, "service.ranking", 10));
        filters.put(c, Map.of("service.id", 3L));
        // then
        assertEquals(List.of(b, c, a), filters.ordered());
    }

    @Test
    void aChangedRankingMovesTheFilterAndARemovedOneIsGone() {
        filters.put(a, Map.of("service.id", 1L));
        filters.put(b, Map.of("service.id", 2L));
        // when b's ranking rises, then a goes
        filters.put(b, Map.of("service.id", 2L, "service.ranking", 5));
        assertEquals(List.of(b, a), filters.ordered());
        filters.remove(a);
        assertEquals(List.of(b), filters.ordered());
    }
}
