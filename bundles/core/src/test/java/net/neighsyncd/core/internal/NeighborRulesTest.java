package net.neighsyncd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import net.neighsyncd.api.engine.SwitchModes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SONiC's rules (docs/sonic-contract.md) as a table: one row per rule, its kind and its boundary cases. */
class NeighborRulesTest {
    private static final String MAC = "00:11:22:33:44:55";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        # rule 1: IPv4 and IPv6 only
        bridge FDB entry is not IP                | NEW | 7  | -            | MAC  | REACHABLE  | 0   | no  | -         | IGNORE not_ip
        IPv4 reachable is set                     | NEW | 2  | 10.0.0.1     | MAC  | REACHABLE  | 0   | no  | -         | SET 00:11:22:33:44:55
        IPv6 reachable is set                     | NEW | 10 | fc00::2      | MAC  | REACHABLE  | 0   | no  | -         | SET 00:11:22:33:44:55
        IPv4 message with IPv6 address is not IP  | NEW | 2  | fc00::2      | MAC  | REACHABLE  | 0   | no  | -         | IGNORE not_ip
        # rule 3: dual-ToR ignores IPv4 link-local
        169.254 kept when not dual-ToR            | NEW | 2  | 169.254.1.1  | MAC  | REACHABLE  | 0   | no  | -         | SET 00:11:22:33:44:55
        169.254 dropped on dual-ToR               | NEW | 2  | 169.254.1.1  | MAC  | REACHABLE  | 0   | yes | -         | IGNORE ipv4_link_local_dual_tor
        169.254.0.0 lower edge dropped            | NEW | 2  | 169.254.0.0  | MAC  | PERMANENT  | 0   | yes | -         | IGNORE ipv4_link_local_dual_tor
        169.254.255.255 upper edge dropped        | NEW | 2  | 169.254.255.255 | MAC | PERMANENT | 0  | yes | -         | IGNORE ipv4_link_local_dual_tor
        169.253.255.255 just below kept           | NEW | 2  | 169.253.255.255 | MAC | PERMANENT | 0  | yes | -         | SET 00:11:22:33:44:55
        169.255.0.0 just above kept               | NEW | 2  | 169.255.0.0  | MAC  | PERMANENT  | 0   | yes | -         | SET 00:11:22:33:44:55
        169.254 delete on dual-ToR dropped        | DEL | 2  | 169.254.1.1  | MAC  | REACHABLE  | 0   | yes | -         | IGNORE ipv4_link_local_dual_tor
        # rule 4: IPv6 link-local only in link-local-only mode
        fe80 dropped when mode off                | NEW | 10 | fe80::1      | MAC  | REACHABLE  | 0   | no  | -         | IGNORE ipv6_link_local
        fe80 set when mode on for its interface   | NEW | 10 | fe80::1      | MAC  | REACHABLE  | 0   | no  | Ethernet0 | SET 00:11:22:33:44:55
        fe80 dropped when mode on elsewhere       | NEW | 10 | fe80::1      | MAC  | REACHABLE  | 0   | no  | Vlan1000  | IGNORE ipv6_link_local
        fe80 delete never ignored                 | DEL | 10 | fe80::1      | MAC  | REACHABLE  | 0   | no  | -         | DELETE
        febf:: upper edge of fe80::/10 dropped    | NEW | 10 | febf::1      | MAC  | REACHABLE  | 0   | no  | -         | IGNORE ipv6_link_local
        fec0:: just above fe80::/10 kept          | NEW | 10 | fec0::1      | MAC  | REACHABLE  | 0   | no  | -         | SET 00:11:22:33:44:55
        fe80 failed when mode off is dropped      | NEW | 10 | fe80::1      | -    | FAILED     | 0   | no  | -         | IGNORE ipv6_link_local
        # rule 5: IPv6 multicast link-local
        ff02::1 dropped                           | NEW | 10 | ff02::1      | MAC  | NOARP      | 128 | no  | -         | IGNORE ipv6_multicast_link_local
        ff02::1:ff00:1 delete dropped             | DEL | 10 | ff02::1:ff00:1 | MAC | REACHABLE | 0   | no  | -         | IGNORE ipv6_multicast_link_local
        ff02 dropped even in link-local mode      | NEW | 10 | ff02::2      | MAC  | REACHABLE  | 0   | no  | Ethernet0 | IGNORE ipv6_multicast_link_local
        ff05 site-local multicast not this rule   | NEW | 10 | ff05::2      | MAC  | REACHABLE  | 0   | no  | -         | SET 00:11:22:33:44:55
        # rule 6: NOARP only when externally learned
        NOARP dropped                             | NEW | 2  | 10.0.0.1     | MAC  | NOARP      | 0   | no  | -         | IGNORE noarp
        NOARP with extern_learn set               | NEW | 2  | 10.0.0.1     | MAC  | NOARP      | 16  | no  | -         | SET 00:11:22:33:44:55
        NOARP delete without extern_learn dropped | DEL | 2  | 10.0.0.1     | MAC  | NOARP      | 0   | no  | -         | IGNORE noarp
        NOARP other flags still dropped           | NEW | 2  | 10.0.0.1     | MAC  | NOARP      | 128 | no  | -         | IGNORE noarp
        # rule 7: deletes
        RTM_DELNEIGH deletes                      | DEL | 2  | 10.0.0.1     | MAC  | REACHABLE  | 0   | no  | -         | DELETE
        INCOMPLETE deletes                        | NEW | 2  | 10.0.0.1     | -    | INCOMPLETE | 0   | no  | -         | DELETE
        FAILED deletes                            | NEW | 2  | 10.0.0.1     | MAC  | FAILED     | 0   | no  | -         | DELETE
        dual-ToR INCOMPLETE sets zero MAC         | NEW | 2  | 10.0.0.1     | -    | INCOMPLETE | 0   | yes | -         | SET 00:00:00:00:00:00
        dual-ToR FAILED sets zero MAC             | NEW | 10 | fc00::2      | MAC  | FAILED     | 0   | yes | -         | SET 00:00:00:00:00:00
        dual-ToR RTM_DELNEIGH still deletes       | DEL | 2  | 10.0.0.1     | -    | FAILED     | 0   | yes | -         | DELETE
        # rule 8: a set needs a unicast MAC
        missing MAC dropped                       | NEW | 2  | 10.0.0.1     | -    | PERMANENT  | 0   | no  | -         | IGNORE mac_missing
        broadcast MAC dropped                     | NEW | 2  | 10.0.0.255   | ff:ff:ff:ff:ff:ff | PERMANENT | 0 | no | -    | IGNORE mac_broadcast
        broadcast MAC on delete still deletes     | DEL | 2  | 10.0.0.255   | ff:ff:ff:ff:ff:ff | PERMANENT | 0 | no | -    | DELETE
        zero MAC outside dual-ToR is set          | NEW | 2  | 10.0.0.1     | 00:00:00:00:00:00 | REACHABLE | 0 | no | -    | SET 00:00:00:00:00:00
        # rule 9: every other state sets
        STALE sets                                | NEW | 2  | 10.0.0.1     | MAC  | STALE      | 0   | no  | -         | SET 00:11:22:33:44:55
        DELAY sets                                | NEW | 2  | 10.0.0.1     | MAC  | DELAY      | 0   | no  | -         | SET 00:11:22:33:44:55
        PROBE sets                                | NEW | 2  | 10.0.0.1     | MAC  | PROBE      | 0   | no  | -         | SET 00:11:22:33:44:55
        PERMANENT sets                            | NEW | 2  | 10.0.0.1     | MAC  | PERMANENT  | 0   | no  | -         | SET 00:11:22:33:44:55
        """)
    void appliesSonicRule(String name, String kind, int af, String ip, String mac, String state, int flags,
            String dualTor, String linkLocalIf, String expected) {
        // given
        NeighborMessage m = new NeighborMessage(kind.equals("DEL"), af, 5, "Ethernet0",
                ip == null ? null : IpAddress.parse(ip), mac == null ? null : MacAddress.parse(mac.equals("MAC") ? MAC : mac),
                state(state), flags);
        SwitchModes modes = new SwitchModes(dualTor.equals("yes"), linkLocalIf == null ? Set.of() : Set.of(linkLocalIf));
        // when
        Verdict v = NeighborRules.evaluate(m, modes);
        // then
        assertEquals(expected, describe(v));
    }

    private static String describe(Verdict v) {
        switch (v.kind()) {
            case SET:
                assertEquals("Ethernet0", v.record().key().ifname());
                return "SET " + v.record().mac();
            case DELETE:
                return v.reason() == null ? "DELETE" : "DELETE " + v.reason().label();
            default:
                return "IGNORE " + v.reason().label();
        }
    }

    private static int state(String name) {
        switch (name) {
            case "INCOMPLETE":
                return NudState.INCOMPLETE;
            case "REACHABLE":
                return NudState.REACHABLE;
            case "STALE":
                return NudState.STALE;
            case "DELAY":
                return NudState.DELAY;
            case "PROBE":
                return NudState.PROBE;
            case "FAILED":
                return NudState.FAILED;
            case "NOARP":
                return NudState.NOARP;
            case "PERMANENT":
                return NudState.PERMANENT;
            default:
                throw new IllegalArgumentException(name);
        }
    }

}
