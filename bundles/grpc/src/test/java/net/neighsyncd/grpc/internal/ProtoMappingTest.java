package net.neighsyncd.grpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalLong;
import net.neighsyncd.api.ha.LeadershipStatus;
import net.neighsyncd.api.ha.Role;
import net.neighsyncd.grpc.v1.Leadership;
import org.junit.jupiter.api.Test;

class ProtoMappingTest {
    @Test
    void aLeadersStatusCarriesItsTokenAndLeaseAge() {
        // given
        LeadershipStatus l = new LeadershipStatus(Role.LEADER, "sw1:42:ab", Optional.of("sw1:42:ab"), OptionalLong.of(7),
                OptionalLong.of(120), OptionalLong.of(3), 2, 1);
        // when
        Leadership p = ProtoMapping.leadership(l);
        // then
        assertEquals(Leadership.newBuilder().setRole(Leadership.Role.LEADER).setInstance("sw1:42:ab")
                .setLeader("sw1:42:ab").setToken(7).setLeaseAgeMillis(120).setStreamLag(3).setTakeovers(2)
                .setStepDowns(1).build(), p);
    }

    @Test
    void aStandbysUnknownValuesAreZeroAndAnUnknownLagIsMinusOne() {
        LeadershipStatus l = new LeadershipStatus(Role.STANDBY, "sw1:43:cd", Optional.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), 0, 0);
        Leadership p = ProtoMapping.leadership(l);
        assertEquals(Leadership.Role.STANDBY, p.getRole());
        assertEquals("", p.getLeader());
        assertEquals(0, p.getToken());
        assertEquals(-1, p.getStreamLag());
    }
}
