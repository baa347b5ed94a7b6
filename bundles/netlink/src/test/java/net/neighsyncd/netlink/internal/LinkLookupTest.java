package net.neighsyncd.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import net.neighsyncd.testsupport.Netns;
import org.junit.jupiter.api.Test;

/** The synchronous single-link RTM_GETLINK against the real kernel, in a private namespace. */
class LinkLookupTest {

    @Test
    void findsALinkByIndexAndReturnsNullForAnUnknownOne() throws Exception {
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        try (Netns ns = Netns.create("nllookup")) {
            // given a namespace with a bridge and a veth pair whose veth1 is a port of it
            ns.exec("link", "add", "br7", "type", "bridge");
            ns.addVethPair("veth0", "veth1");
            ns.exec("link", "set", "veth1", "master", "br7");
            int veth1 = ns.ifindex("veth1");
            int br7 = ns.ifindex("br7");
            List<String> malformed = new ArrayList<>();

            // when links are looked up on a request socket opened in that namespace
            try (LinkLookup lookup = NetNamespace.within(ns.name(),
                    () -> LinkLookup.open(1000, (r, d) -> malformed.add(r + ": " + d)))) {
                Link found = lookup.lookup(veth1, 10);
                Link missing = lookup.lookup(99_999, 11);
                Link again = lookup.lookup(br7, 12);

                // then the known ones come back with name, kind, master and IFF_UP, and the unknown one is null
                assertEquals(new Link(0, veth1, "veth1", br7, "veth", found.flags()), found);
                assertTrue(found.up(), "veth1 is up");
                assertNull(missing);
                assertEquals("bridge", again.kind());
                assertEquals(List.of(), malformed);
            }
        }
    }
}
