package net.neighsyncd.netlink.internal;

import static net.neighsyncd.netlink.internal.NetlinkCodec.NLMSG_DONE;
import static net.neighsyncd.netlink.internal.NetlinkCodec.NLMSG_ERROR;
import static net.neighsyncd.netlink.internal.NetlinkCodec.NLM_F_DUMP_INTR;
import static net.neighsyncd.netlink.internal.NetlinkCodec.NLM_F_MULTI;
import static net.neighsyncd.netlink.internal.NetlinkCodec.RTM_DELLINK;
import static net.neighsyncd.netlink.internal.NetlinkCodec.RTM_DELNEIGH;
import static net.neighsyncd.netlink.internal.NetlinkCodec.RTM_NEWLINK;
import static net.neighsyncd.netlink.internal.NetlinkCodec.RTM_NEWNEIGH;
import static net.neighsyncd.netlink.internal.Wire.attr;
import static net.neighsyncd.netlink.internal.Wire.datagram;
import static net.neighsyncd.netlink.internal.Wire.ipv4;
import static net.neighsyncd.netlink.internal.Wire.mac;
import static net.neighsyncd.netlink.internal.Wire.message;
import static net.neighsyncd.netlink.internal.Wire.messageWithLength;
import static net.neighsyncd.netlink.internal.Wire.ndmsg;
import static net.neighsyncd.netlink.internal.Wire.rawAttr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborFlags;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.api.neighbor.NudState;
import org.junit.jupiter.api.Test;

/**
 * The codec against datagrams the kernel really sent (fixtures recorded by {@link CaptureFixtures}
 * on Linux 6.18, amd64) and against hand-made hostile bytes.
 */
class NetlinkCodecTest {
    private static final int AF_BRIDGE = 7;
    private static final Map<Integer, String> NAMES = Map.of(1, "lo", 2, "br0", 3, "veth1", 4, "veth0");

    private final List<String> malformed = new ArrayList<>();
    private final NetlinkCodec.MalformedListener bad = (reason, detail) -> malformed.add(reason + ": " + detail);
    private final NetlinkCodec.NameResolver names = (i, f) -> NAMES.getOrDefault(i, Integer.toString(i));

    /** A decoded message of a datagram, with its header. */
    private record Decoded(int type, int flags, int seq, int pid, NeighborMessage neighbor, Link link,
            NetlinkError error) {
    }

    private List<Decoded> decodeAll(ByteBuffer b) {
        List<Decoded> out = new ArrayList<>();
        NetlinkCodec.forEachMessage(b, 0, b.capacity(), (buf, off, len, type, flags, seq, pid) -> {
            NeighborMessage n = null;
            Link l = null;
            NetlinkError e = null;
            if (type == RTM_NEWNEIGH || type == RTM_DELNEIGH) {
                n = NetlinkCodec.decodeNeighbor(buf, off, len, names, bad);
            } else if (type == RTM_NEWLINK || type == RTM_DELLINK) {
                l = NetlinkCodec.decodeLink(buf, off, len, bad);
            } else if (type == NLMSG_ERROR) {
                e = NetlinkCodec.decodeError(buf, off, len, bad);
            }
            out.add(new Decoded(type, flags, seq, pid, n, l, e));
        }, bad);
        return out;
    }

    private NeighborMessage onlyNeighbor(ByteBuffer b) {
        List<Decoded> all = decodeAll(b);
        assertEquals(1, all.size(), "messages in " + all);
        assertNotNull(all.get(0).neighbor(), "malformed: " + malformed);
        return all.get(0).neighbor();
    }

    // ------------------------------------------------------------------ captured messages

    @Test
    void decodesIpv4PermanentNeighborWithMac() {
        // given the RTM_NEWNEIGH the kernel sent for `ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 nud permanent dev veth0`
        ByteBuffer datagram = Fixtures.one("neigh-new-ipv4-permanent");

        // when it is decoded
        NeighborMessage m = onlyNeighbor(datagram);

        // then every field is the kernel's
        assertFalse(m.deleted());
        assertEquals(Family.AF_INET, m.addressFamily());
        assertEquals(Family.IPV4, m.family());
        assertEquals(IpAddress.parse("10.0.0.2"), m.address());
        assertEquals(MacAddress.parse("02:00:00:00:00:02"), m.mac());
        assertEquals(NudState.PERMANENT, m.state());
        assertEquals(4, m.ifindex());
        assertEquals("veth0", m.ifname());
        assertEquals("veth0:10.0.0.2", m.key().toString());
        assertTrue(malformed.isEmpty(), malformed::toString);
    }

    @Test
    void decodesIpv6NeighborWithMac() {
        // given the RTM_NEWNEIGH for `ip neigh replace 2001:db8::2 lladdr 02:00:00:00:00:06 nud reachable dev veth0`
        ByteBuffer datagram = Fixtures.one("neigh-new-ipv6-reachable");

        // when it is decoded
        NeighborMessage m = onlyNeighbor(datagram);

        // then it is an IPv6 neighbor with its MAC, reachable
        assertEquals(Family.IPV6, m.family());
        assertEquals("2001:db8::2", m.address().toString());
        assertEquals("02:00:00:00:00:06", m.mac().toString());
        assertEquals(NudState.REACHABLE, m.state());
        assertEquals("veth0", m.ifname());
        assertFalse(m.deleted());
    }

    @Test
    void decodesNeighborWithoutLinkLayerAddressAsNullMac() {
        // given the RTM_NEWNEIGH the kernel sent when it failed to resolve 10.0.0.9 (no NDA_LLADDR)
        ByteBuffer datagram = Fixtures.one("neigh-new-no-lladdr");

        // when it is decoded
        NeighborMessage m = onlyNeighbor(datagram);

        // then the address is there and the MAC is null; the state tells why
        assertEquals("10.0.0.9", m.address().toString());
        assertNull(m.mac());
        assertTrue((m.state() & (NudState.FAILED | NudState.INCOMPLETE)) != 0, NudState.describe(m.state()));
    }

    @Test
    void decodesDeletedNeighbor() {
        // given the RTM_DELNEIGH for `ip neigh del 10.0.0.4 dev veth0`
        ByteBuffer datagram = Fixtures.one("neigh-del-ipv4");

        // when it is decoded
        NeighborMessage m = onlyNeighbor(datagram);

        // then it is a delete of that address on veth0; the kernel sends it without NDA_LLADDR (the entry
        // is no longer valid when announced), so a delete must never depend on a MAC
        assertTrue(m.deleted());
        assertEquals("10.0.0.4", m.address().toString());
        assertEquals(Family.IPV4, m.family());
        assertNull(m.mac());
        assertEquals("veth0", m.ifname());
    }

    @Test
    void decodesNeighborDumpOfAllFamiliesEndedByDone() {
        // given the reply to an AF_UNSPEC RTM_GETNEIGH dump (seq 1000)
        List<ByteBuffer> datagrams = Fixtures.load("neigh-dump");

        // when every message is decoded
        List<Decoded> all = new ArrayList<>();
        for (ByteBuffer d : datagrams) {
            all.addAll(decodeAll(d));
        }

        // then it holds the neighbors set up before it, several per datagram, each flagged NLM_F_MULTI,
        // and ends with NLMSG_DONE (an AF_UNSPEC neighbor dump holds only the ARP and NDP tables)
        assertTrue(malformed.isEmpty(), malformed::toString);
        Decoded last = all.get(all.size() - 1);
        assertEquals(NLMSG_DONE, last.type());
        assertEquals(0, NetlinkCodec.doneErrno(datagrams.get(datagrams.size() - 1), offsetOfLast(datagrams), 20));
        List<NeighborMessage> neighbors = new ArrayList<>();
        for (Decoded d : all) {
            assertEquals(1000, d.seq());
            assertTrue((d.flags() & NLM_F_MULTI) != 0, "NLM_F_MULTI on " + d);
            if (d.neighbor() != null) {
                neighbors.add(d.neighbor());
            }
        }
        assertTrue(neighbors.size() >= 4, neighbors::toString);
        NeighborMessage permanent = find(neighbors, "10.0.0.2");
        assertEquals("02:00:00:00:00:02", permanent.mac().toString());
        assertEquals(NudState.PERMANENT, permanent.state());
        assertEquals("02:00:00:00:00:06", find(neighbors, "2001:db8::2").mac().toString());
        NeighborMessage incomplete = find(neighbors, "10.0.0.3");
        assertNull(incomplete.mac());
        assertEquals(NudState.INCOMPLETE, incomplete.state());
        assertTrue(neighbors.stream().allMatch(n -> n.family() != null), neighbors::toString);
    }

    @Test
    void passesCapturedBridgeEntryThroughWithFamily7() {
        // given the AF_BRIDGE RTM_NEWNEIGH for `bridge fdb add 02:00:00:00:00:99 dev veth1 master static`
        ByteBuffer datagram = Fixtures.one("neigh-new-bridge-fdb");

        // when it is decoded
        NeighborMessage m = onlyNeighbor(datagram);

        // then it is a message of family 7 with the MAC, no IP address and no IP family (the core drops it)
        assertEquals(AF_BRIDGE, m.addressFamily());
        assertNull(m.address());
        assertNull(m.family());
        assertEquals("02:00:00:00:00:99", m.mac().toString());
        assertEquals("veth1", m.ifname());
        assertTrue(malformed.isEmpty(), malformed::toString);
    }

    @Test
    void decodesLinkDumpWithNamesMastersAndKinds() {
        // given the reply to an RTM_GETLINK dump in a namespace with lo, bridge br0 and veth0/veth1 (veth1 in br0)
        List<ByteBuffer> datagrams = Fixtures.load("link-dump");

        // when every message is decoded
        List<Link> links = new ArrayList<>();
        int dones = 0;
        for (ByteBuffer d : datagrams) {
            for (Decoded m : decodeAll(d)) {
                if (m.link() != null) {
                    links.add(m.link());
                }
                dones += m.type() == NLMSG_DONE ? 1 : 0;
            }
        }

        // then each link has its index, name and kind, and veth1 names br0 as its master
        assertTrue(malformed.isEmpty(), malformed::toString);
        assertEquals(1, dones);
        Link lo = link(links, "lo");
        Link br0 = link(links, "br0");
        Link veth0 = link(links, "veth0");
        Link veth1 = link(links, "veth1");
        assertEquals(1, lo.index());
        assertNull(lo.kind());
        assertEquals("bridge", br0.kind());
        assertEquals("veth", veth0.kind());
        assertEquals("veth", veth1.kind());
        assertEquals(br0.index(), veth1.master());
        assertEquals(0, veth0.master());
        assertEquals(0, veth0.family());
        // and lo is up (IFF_UP), as the capturing namespace brought it up
        assertTrue(lo.up(), () -> "lo flags " + Integer.toHexString(lo.flags()));
    }

    @Test
    void decodesAnInterfaceThatIsDownWithoutIffUp() {
        // given an RTM_NEWLINK for eth6 whose ifi_flags are IFF_BROADCAST|IFF_MULTICAST only
        byte[] ifinfo = Wire.ifinfomsg(0, 6);
        ByteBuffer.wrap(ifinfo).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x1002);
        byte[] msg = message(RTM_NEWLINK, 0, 0, 0, ifinfo, attr(3, Wire.cstring("eth6")));

        // when it is decoded, then it is not up
        Link link = decodeAll(datagram(msg)).get(0).link();
        assertEquals(0x1002, link.flags());
        assertFalse(link.up());
    }

    @Test
    void decodesLinkDeletion() {
        // given the RTM_DELLINK the kernel sent for `ip link del veth0`
        ByteBuffer datagram = Fixtures.one("link-del-veth0");

        // when it is decoded
        List<Decoded> all = decodeAll(datagram);

        // then it names the link that went
        assertEquals(1, all.size());
        assertEquals(RTM_DELLINK, all.get(0).type());
        assertEquals("veth0", all.get(0).link().name());
        assertEquals(4, all.get(0).link().index());
        assertEquals("veth", all.get(0).link().kind());
    }

    @Test
    void kernelDeletesTheNeighborsOfALinkBeforeTheLink() {
        // given every datagram the kernel sent after `ip link del veth0`
        List<ByteBuffer> datagrams = Fixtures.load("link-del-sequence");

        // when they are decoded in order
        List<Decoded> all = new ArrayList<>();
        for (ByteBuffer d : datagrams) {
            all.addAll(decodeAll(d));
        }

        // then the deletes of veth0's neighbors come before the RTM_DELLINK of veth0
        assertTrue(malformed.isEmpty(), malformed::toString);
        int delLink = -1;
        int lastNeighborDelete = -1;
        for (int i = 0; i < all.size(); i++) {
            Decoded d = all.get(i);
            if (d.type() == RTM_DELLINK && d.link().index() == 4 && delLink < 0) {
                delLink = i;
            }
            if (d.neighbor() != null && d.neighbor().deleted() && d.neighbor().ifindex() == 4) {
                lastNeighborDelete = i;
            }
        }
        assertTrue(delLink > 0, "RTM_DELLINK of veth0 present");
        assertTrue(lastNeighborDelete >= 0 && lastNeighborDelete < delLink, "deletes before the link: " + all);
    }

    @Test
    void decodesNlmsgErrorWithErrnoAndRequest() {
        // given the kernel's answer to RTM_GETLINK for ifindex 9999, which does not exist
        ByteBuffer datagram = Fixtures.one("error-enodev");

        // when it is decoded
        List<Decoded> all = decodeAll(datagram);

        // then it is ENODEV for that request
        assertEquals(1, all.size());
        NetlinkError e = all.get(0).error();
        assertEquals(19, e.errno());
        assertFalse(e.isAck());
        assertEquals(NetlinkCodec.RTM_GETLINK, e.requestType());
        assertEquals(1002, e.requestSeq());
        assertEquals(1002, all.get(0).seq());
    }

    // ------------------------------------------------------------------ encoders

    @Test
    void encodesDumpAndLinkRequests() {
        // given a native-order buffer
        ByteBuffer out = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);

        // when each request is encoded, then its bytes are the rtnetlink layout
        int len = NetlinkCodec.encodeNeighborDumpRequest(out, 7);
        assertEquals(28, len);
        assertEquals("1c000000" + "1e00" + "0103" + "07000000" + "00000000" + "000000000000000000000000",
                HexFormat.of().formatHex(out.array(), 0, len));
        len = NetlinkCodec.encodeLinkDumpRequest(out, 8);
        assertEquals(32, len);
        assertEquals("2000000012000103080000000000000000000000000000000000000000000000",
                HexFormat.of().formatHex(out.array(), 0, 32));
        len = NetlinkCodec.encodeLinkRequest(out, 9, 0x1234);
        assertEquals(32, len);
        assertEquals("2000000012000100090000000000000000000000341200000000000000000000",
                HexFormat.of().formatHex(out.array(), 0, 32));
    }

    @Test
    void encodesPipelinedNeighborReplacesForIpv4AndIpv6ByteForByte() {
        // given a native-order buffer
        ByteBuffer out = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);

        // when an IPv4 and then, right behind it, an IPv6 neighbor are encoded as STALE on ifindex 5
        int v4 = NetlinkCodec.encodeNeighborReplace(out, 0, 17, IpAddress.parse("10.0.0.2").bytes(), 5,
                NudState.STALE, MacAddress.parse("02:00:00:00:00:02").bits());
        int v6 = NetlinkCodec.encodeNeighborReplace(out, v4, 18, IpAddress.parse("2001:db8::2").bytes(), 5,
                NudState.STALE, MacAddress.parse("02:aa:bb:cc:dd:ee").bits());

        // then each is an RTM_NEWNEIGH with REQUEST|ACK|REPLACE|CREATE, its ndmsg, NDA_DST and a padded NDA_LLADDR
        assertEquals(48, v4);
        assertEquals(60, v6);
        String expected = ""
                // nlmsghdr: len 48, RTM_NEWNEIGH (28), flags 0x0505, seq 17, pid 0
                + "30000000" + "1c00" + "0505" + "11000000" + "00000000"
                // ndmsg: AF_INET, pad, pad, ifindex 5, NUD_STALE, ndm_flags 0, ndm_type 0
                + "02" + "00" + "0000" + "05000000" + "0400" + "00" + "00"
                // NDA_DST (len 8, type 1): 10.0.0.2
                + "0800" + "0100" + "0a000002"
                // NDA_LLADDR (len 10, type 2): 02:00:00:00:00:02, 2 bytes of padding
                + "0a00" + "0200" + "020000000002" + "0000"
                // nlmsghdr: len 60, RTM_NEWNEIGH, flags 0x0505, seq 18, pid 0
                + "3c000000" + "1c00" + "0505" + "12000000" + "00000000"
                // ndmsg: AF_INET6, pad, pad, ifindex 5, NUD_STALE, 0, 0
                + "0a" + "00" + "0000" + "05000000" + "0400" + "00" + "00"
                // NDA_DST (len 20, type 1): 2001:db8::2
                + "1400" + "0100" + "20010db8000000000000000000000002"
                // NDA_LLADDR (len 10, type 2): 02:aa:bb:cc:dd:ee, 2 bytes of padding
                + "0a00" + "0200" + "02aabbccddee" + "0000";
        assertEquals(expected, HexFormat.of().formatHex(out.array(), 0, v4 + v6));
        assertEquals(0x505, NetlinkCodec.NLM_F_REQUEST | NetlinkCodec.NLM_F_ACK | NetlinkCodec.NLM_F_CREATE
                | NetlinkCodec.NLM_F_REPLACE);
    }

    @Test
    void encodedNeighborReplaceDecodesBackToTheSameNeighbor() {
        // given an encoded IPv6 replace for ifindex 4 (veth0)
        ByteBuffer out = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        int len = NetlinkCodec.encodeNeighborReplace(out, 0, 1, IpAddress.parse("fe80::1").bytes(), 4,
                NudState.STALE, MacAddress.parse("02:00:00:00:00:09").bits());

        // when the codec's own decoder reads it
        NeighborMessage m = onlyNeighbor(ByteBuffer.wrap(out.array(), 0, len).slice().order(ByteOrder.LITTLE_ENDIAN));

        // then family, interface, address, MAC and state survive
        assertEquals("veth0:fe80::1", m.key().toString());
        assertEquals("02:00:00:00:00:09", m.mac().toString());
        assertEquals(NudState.STALE, m.state());
        assertTrue(malformed.isEmpty(), malformed::toString);
    }

    // ------------------------------------------------------------------ hostile bytes

    private static byte[] ipv4Neighbor(int type, int flags, byte[]... attrs) {
        return message(type, flags, 0, 0, Wire.concat(ndmsg(Family.AF_INET, 4, NudState.REACHABLE, 0, 1),
                Wire.concat(attrs)));
    }

    private int walk(ByteBuffer b, List<Integer> types) {
        return NetlinkCodec.forEachMessage(b, 0, b.capacity(), (buf, off, len, type, f, s, p) -> types.add(type), bad);
    }

    @Test
    void skipsTruncatedHeader() {
        // given a datagram of 10 bytes
        ByteBuffer b = ByteBuffer.wrap(new byte[10]).order(ByteOrder.LITTLE_ENDIAN);

        // when it is walked
        List<Integer> types = new ArrayList<>();
        int n = walk(b, types);

        // then nothing is handed on and the reason is a truncated header
        assertEquals(0, n);
        assertTrue(types.isEmpty());
        assertEquals(1, malformed.size());
        assertTrue(malformed.get(0).startsWith("HEADER_TRUNCATED"), malformed::toString);
    }

    @Test
    void skipsMessageWhoseLengthRunsPastTheDatagram() {
        // given a valid message followed by one claiming 100 bytes in a 40-byte remainder
        byte[] good = ipv4Neighbor(RTM_NEWNEIGH, 0, attr(1, ipv4(10, 0, 0, 1)));
        byte[] liar = messageWithLength(100, RTM_NEWNEIGH, 0, 0, 0, new byte[24]);

        // when the datagram is walked
        List<Integer> types = new ArrayList<>();
        int n = walk(datagram(good, liar), types);

        // then the good one is handed on and the liar is counted as LENGTH_PAST_END
        assertEquals(1, n);
        assertEquals(List.of("LENGTH_PAST_END"), reasons());
    }

    @Test
    void skipsMessageWhoseLengthIsBelowTheHeaderSize() {
        // given a header claiming nlmsg_len 8
        byte[] tiny = messageWithLength(8, RTM_NEWNEIGH, 0, 0, 0, new byte[16]);

        // when it is walked
        int n = walk(datagram(tiny), new ArrayList<>());

        // then it is LENGTH_TOO_SHORT and the walk stops (nothing after it can be framed)
        assertEquals(0, n);
        assertEquals(List.of("LENGTH_TOO_SHORT"), reasons());
    }

    @Test
    void skipsMessageWhosePayloadIsShorterThanNdmsg() {
        // given an RTM_NEWNEIGH with 8 payload bytes
        ByteBuffer b = datagram(message(RTM_NEWNEIGH, 0, 0, 0, new byte[8]));

        // when it is decoded
        List<Decoded> all = decodeAll(b);

        // then it is framed but not decoded
        assertEquals(1, all.size());
        assertNull(all.get(0).neighbor());
        assertEquals(List.of("PAYLOAD_TOO_SHORT"), reasons());
    }

    @Test
    void skipsNeighborWithZeroLengthAttribute() {
        // given a neighbor whose second attribute has rta_len 0
        ByteBuffer b = datagram(ipv4Neighbor(RTM_NEWNEIGH, 0, attr(1, ipv4(10, 0, 0, 1)), rawAttr(0, 2)));

        // when it is decoded, then it is skipped as ATTRIBUTE_TOO_SHORT (and the walk does not loop forever)
        assertNull(decodeAll(b).get(0).neighbor());
        assertEquals(List.of("ATTRIBUTE_TOO_SHORT"), reasons());
    }

    @Test
    void skipsNeighborWithAttributePastMessageEnd() {
        // given a neighbor whose NDA_LLADDR claims 40 bytes
        ByteBuffer b = datagram(ipv4Neighbor(RTM_NEWNEIGH, 0, attr(1, ipv4(10, 0, 0, 1)),
                rawAttr(40, 2, mac(2, 0, 0, 0, 0, 1))));

        // when it is decoded, then it is skipped as ATTRIBUTE_PAST_END
        assertNull(decodeAll(b).get(0).neighbor());
        assertEquals(List.of("ATTRIBUTE_PAST_END"), reasons());
    }

    @Test
    void skipsIpv4NeighborWhoseDestinationHasTheWrongLength() {
        // given an AF_INET neighbor with a 16-byte NDA_DST
        ByteBuffer b = datagram(ipv4Neighbor(RTM_NEWNEIGH, 0, attr(1, new byte[16]), attr(2, mac(2, 0, 0, 0, 0, 1))));

        // when it is decoded, then it is skipped as ADDRESS_LENGTH
        assertNull(decodeAll(b).get(0).neighbor());
        assertEquals(List.of("ADDRESS_LENGTH"), reasons());
    }

    @Test
    void keepsNeighborWithOddLinkLayerAddressButWithoutMac() {
        // given an IPv4 neighbor with a 4-byte NDA_LLADDR (a GRE-like link)
        ByteBuffer b = datagram(ipv4Neighbor(RTM_NEWNEIGH, 0, attr(1, ipv4(10, 0, 0, 1)), attr(2, ipv4(1, 2, 3, 4))));

        // when it is decoded, then it is a message without a MAC, not a malformed one
        NeighborMessage m = decodeAll(b).get(0).neighbor();
        assertNotNull(m);
        assertNull(m.mac());
        assertEquals("10.0.0.1", m.address().toString());
        assertTrue(malformed.isEmpty());
    }

    @Test
    void passesNonIpFamilyThroughWithItsFamily() {
        // given an AF_BRIDGE (FDB) neighbor message with a MAC and a 4-byte NDA_DST (a VXLAN remote)
        byte[] msg = message(RTM_NEWNEIGH, 0, 0, 0, Wire.concat(ndmsg(AF_BRIDGE, 3, NudState.NOARP,
                NeighborFlags.SELF, 1), attr(2, mac(2, 0, 0, 0, 0, 9)), attr(1, ipv4(192, 0, 2, 1))));

        // when it is decoded
        NeighborMessage m = decodeAll(datagram(msg)).get(0).neighbor();

        // then it is a message of family 7 with its MAC and no IP address; family() is null, so the core drops it
        assertNotNull(m);
        assertEquals(AF_BRIDGE, m.addressFamily());
        assertNull(m.address());
        assertNull(m.family());
        assertEquals("02:00:00:00:00:09", m.mac().toString());
        assertEquals("veth1", m.ifname());
        assertEquals(NeighborFlags.SELF, m.flags());
    }

    @Test
    void walksMultipleMessagesInOneDatagram() {
        // given a datagram with a new neighbor, a deleted one and NLMSG_DONE
        byte[] add = ipv4Neighbor(RTM_NEWNEIGH, NLM_F_MULTI, attr(1, ipv4(10, 0, 0, 1)), attr(2, mac(2, 0, 0, 0, 0, 1)));
        byte[] del = ipv4Neighbor(RTM_DELNEIGH, NLM_F_MULTI, attr(1, ipv4(10, 0, 0, 2)));
        byte[] done = message(NLMSG_DONE, NLM_F_MULTI, 0, 0, Wire.int32(0));

        // when it is decoded
        List<Decoded> all = decodeAll(datagram(add, del, done));

        // then all three come out in order
        assertEquals(3, all.size());
        assertEquals("10.0.0.1", all.get(0).neighbor().address().toString());
        assertFalse(all.get(0).neighbor().deleted());
        assertTrue(all.get(1).neighbor().deleted());
        assertEquals(NLMSG_DONE, all.get(2).type());
        assertTrue(malformed.isEmpty());
    }

    @Test
    void surfacesDumpInterruptedFlag() {
        // given a dump part flagged NLM_F_DUMP_INTR
        byte[] part = ipv4Neighbor(RTM_NEWNEIGH, NLM_F_MULTI | NLM_F_DUMP_INTR, attr(1, ipv4(10, 0, 0, 1)));

        // when it is walked
        List<Decoded> all = decodeAll(datagram(part));

        // then the flag reaches the visitor
        assertTrue((all.get(0).flags() & NLM_F_DUMP_INTR) != 0);
    }

    @Test
    void decodesHandMadeErrorAndAck() {
        // given an NLMSG_ERROR carrying -EBUSY and an ack (error 0) without the echoed header
        byte[] echoed = message(NetlinkCodec.RTM_GETNEIGH, 0x301, 55, 0);
        byte[] err = message(NLMSG_ERROR, 0, 55, 0, Wire.int32(-16), echoed);
        byte[] ack = message(NLMSG_ERROR, 0, 56, 0, Wire.int32(0));

        // when they are decoded
        List<Decoded> all = decodeAll(datagram(err, ack));

        // then the errno is positive and the request is known when echoed
        assertEquals(new NetlinkError(16, NetlinkCodec.RTM_GETNEIGH, 55), all.get(0).error());
        assertEquals(new NetlinkError(0, -1, -1), all.get(1).error());
        assertTrue(all.get(1).error().isAck());
    }

    @Test
    void skipsLinkWithBadNestedAttribute() {
        // given an RTM_NEWLINK whose IFLA_LINKINFO nests an attribute with rta_len 2
        byte[] linkinfo = attr(NetlinkCodec.IFLA_LINKINFO | 0x8000, rawAttr(2, 1, new byte[4]));
        byte[] msg = message(RTM_NEWLINK, 0, 0, 0, Wire.ifinfomsg(0, 5), attr(3, Wire.cstring("eth5")), linkinfo);

        // when it is decoded, then it is skipped as ATTRIBUTE_TOO_SHORT
        assertNull(decodeAll(datagram(msg)).get(0).link());
        assertEquals(List.of("ATTRIBUTE_TOO_SHORT"), reasons());
    }

    @Test
    void decodesHandMadeLinkWithNestedKind() {
        // given an RTM_NEWLINK for Vrf1 (index 9), kind vrf under a NLA_F_NESTED IFLA_LINKINFO, master 0
        byte[] linkinfo = attr(NetlinkCodec.IFLA_LINKINFO | 0x8000, attr(1, Wire.cstring("vrf")));
        byte[] msg = message(RTM_NEWLINK, 0, 0, 0, Wire.ifinfomsg(0, 9), attr(3, Wire.cstring("Vrf1")), linkinfo,
                attr(10, Wire.int32(0)));

        // when it is decoded, then name, kind and the ifi_flags (IFF_UP|IFF_BROADCAST|IFF_MULTICAST) are read
        Link link = decodeAll(datagram(msg)).get(0).link();
        assertEquals(new Link(0, 9, "Vrf1", 0, "vrf", 0x1003), link);
        assertTrue(link.up());
    }

    @Test
    void decodesTheRoutingTableOfAVrfLinkFromItsInfoData() {
        // given: Vrf-red (index 11) as the kernel describes it: kind vrf, then IFLA_INFO_DATA with
        // IFLA_VRF_TABLE 1001, both under NLA_F_NESTED
        byte[] data = attr(NetlinkCodec.IFLA_INFO_DATA | 0x8000, attr(NetlinkCodec.IFLA_VRF_TABLE, Wire.int32(1001)));
        byte[] linkinfo = attr(NetlinkCodec.IFLA_LINKINFO | 0x8000, Wire.concat(attr(1, Wire.cstring("vrf")), data));
        byte[] msg = message(RTM_NEWLINK, 0, 0, 0, Wire.ifinfomsg(0, 11), attr(3, Wire.cstring("Vrf-red")), linkinfo);

        // when it is decoded, then its table is read
        Link link = decodeAll(datagram(msg)).get(0).link();
        assertEquals(1001, link.vrfTable());
        assertEquals(java.util.Map.of("Vrf-red", 1001), KernelVrfs.of(java.util.Map.of(11, link)).tables());
    }

    @Test
    void theInfoDataOfALinkThatIsNoVrfIsNotReadAsATable() {
        // given: a bridge whose IFLA_INFO_DATA has an attribute of type 1 (IFLA_BR_FORWARD_DELAY)
        byte[] data = attr(NetlinkCodec.IFLA_INFO_DATA | 0x8000, attr(1, Wire.int32(1500)));
        byte[] linkinfo = attr(NetlinkCodec.IFLA_LINKINFO | 0x8000, Wire.concat(attr(1, Wire.cstring("bridge")), data));
        byte[] msg = message(RTM_NEWLINK, 0, 0, 0, Wire.ifinfomsg(0, 12), attr(3, Wire.cstring("Bridge")), linkinfo);
        assertEquals(0, decodeAll(datagram(msg)).get(0).link().vrfTable());
    }

    private List<String> reasons() {
        List<String> out = new ArrayList<>();
        for (String m : malformed) {
            out.add(m.substring(0, m.indexOf(':')));
        }
        return out;
    }

    private static int offsetOfLast(List<ByteBuffer> datagrams) {
        ByteBuffer b = datagrams.get(datagrams.size() - 1);
        int[] last = {0};
        NetlinkCodec.forEachMessage(b, 0, b.capacity(), (buf, off, len, t, f, s, p) -> last[0] = off, (r, d) -> {
        });
        return last[0];
    }

    private static NeighborMessage find(List<NeighborMessage> all, String ip) {
        return all.stream().filter(n -> n.address() != null && n.address().toString().equals(ip)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + ip + " in " + all));
    }

    private static Link link(List<Link> all, String name) {
        return all.stream().filter(l -> name.equals(l.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + all));
    }
}
