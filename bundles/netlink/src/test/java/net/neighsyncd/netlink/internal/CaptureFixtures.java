package net.neighsyncd.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.libc.LibC;
import net.neighsyncd.testsupport.Netns;

/**
 * Records the fixtures under {@code src/test/resources/fixtures}: the raw datagrams the kernel
 * sends on an rtnetlink socket while neighbors and links change in a private namespace. Not a
 * test; run it by hand as root from {@code bundles/netlink} after a build:
 *
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) \
 *     net.neighsyncd.netlink.internal.CaptureFixtures src/test/resources/fixtures
 * </pre>
 *
 * It makes a namespace with a bridge {@code br0} and a veth pair {@code veth0}/{@code veth1}
 * ({@code veth1} a port of {@code br0}), opens this module's own {@link NetlinkSocket} in it
 * joined to RTNLGRP_NEIGH and RTNLGRP_LINK, runs {@code ip neigh} / {@code ip link} commands,
 * and writes each datagram of interest as one line of hex. The bytes are in the byte order of
 * the capturing machine (little-endian on amd64), which the fixture header records.
 */
public final class CaptureFixtures {
    private static final int BUF = 1 << 20;

    private final Memory memory = new Memory(BUF);
    private final ByteBuffer view = memory.getByteBuffer(0, BUF).order(ByteOrder.nativeOrder());
    private final NetlinkSocket socket;
    private final Path dir;

    private CaptureFixtures(NetlinkSocket socket, Path dir) {
        this.socket = socket;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/fixtures");
        Files.createDirectories(dir);
        try (Netns ns = Netns.create("nlcapture")) {
            ns.exec("link", "add", "br0", "type", "bridge");
            ns.addVethPair("veth0", "veth1");
            ns.exec("link", "set", "veth1", "master", "br0");
            ns.exec("link", "set", "br0", "up");
            ns.exec("addr", "add", "10.0.0.1/24", "dev", "veth0");
            ns.exec("addr", "add", "2001:db8::1/64", "dev", "veth0", "nodad");
            try (NetlinkSocket s = NetNamespace.within(ns.name(),
                    () -> NetlinkSocket.open(NetlinkSocket.RTNLGRP_NEIGH, NetlinkSocket.RTNLGRP_LINK))) {
                new CaptureFixtures(s, dir).capture(ns);
            }
        }
    }

    private void capture(Netns ns) throws Exception {
        collect(500); // the noise of setting up the namespace

        ns.exec("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "nud", "permanent", "dev", "veth0");
        write("neigh-new-ipv4-permanent", "RTM_NEWNEIGH for `ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 "
                + "nud permanent dev veth0`", one(collect(300), neighbor(false, "10.0.0.2")));

        ns.exec("neigh", "replace", "2001:db8::2", "lladdr", "02:00:00:00:00:06", "nud", "reachable", "dev", "veth0");
        write("neigh-new-ipv6-reachable", "RTM_NEWNEIGH for `ip neigh replace 2001:db8::2 lladdr "
                + "02:00:00:00:00:06 nud reachable dev veth0`", one(collect(300), neighbor(false, "2001:db8::2")));

        // an entry made by `ip neigh ... nud incomplete` is not announced, but one the kernel fails to
        // resolve is: send a UDP datagram to 10.0.0.9, which nobody answers ARP for
        NetNamespace.within(ns.name(), () -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress("10.0.0.9", 9));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        List<byte[]> resolving = collect(6000);
        write("neigh-new-no-lladdr", "RTM_NEWNEIGH without NDA_LLADDR: 10.0.0.9 on veth0 turning FAILED after "
                + "an unanswered ARP (a UDP datagram was sent to it)", one(resolving, neighbor(false, "10.0.0.9")));

        Process fdb = new ProcessBuilder("bridge", "-n", ns.name(), "fdb", "add", "02:00:00:00:00:99", "dev", "veth1",
                "master", "static").inheritIO().start();
        if (fdb.waitFor() != 0) {
            throw new IllegalStateException("bridge fdb add failed");
        }
        write("neigh-new-bridge-fdb", "RTM_NEWNEIGH of family AF_BRIDGE for `bridge fdb add 02:00:00:00:00:99 dev veth1 "
                + "master static`", one(collect(300), d -> firstType(d) == NetlinkCodec.RTM_NEWNEIGH && d[16] == 7));
        ns.exec("neigh", "replace", "10.0.0.3", "dev", "veth0", "nud", "incomplete"); // shows in the dump

        ns.exec("neigh", "replace", "10.0.0.4", "lladdr", "02:00:00:00:00:04", "nud", "permanent", "dev", "veth0");
        collect(300);
        ns.exec("neigh", "del", "10.0.0.4", "dev", "veth0");
        write("neigh-del-ipv4", "RTM_DELNEIGH for `ip neigh del 10.0.0.4 dev veth0` (it was 02:00:00:00:00:04 "
                + "permanent)", one(collect(300), neighbor(true, "10.0.0.4")));

        socket.send(NetlinkCodec.encodeNeighborDumpRequest(socket.sendBuffer(), 1000));
        write("neigh-dump", "reply to RTM_GETNEIGH NLM_F_DUMP AF_UNSPEC, seq 1000: IPv4 and IPv6 "
                + "entries (an AF_UNSPEC neighbor dump holds no AF_BRIDGE ones), then NLMSG_DONE", untilDone(1000));

        socket.send(NetlinkCodec.encodeLinkDumpRequest(socket.sendBuffer(), 1001));
        write("link-dump", "reply to RTM_GETLINK NLM_F_DUMP AF_UNSPEC, seq 1001: lo, br0, veth0, veth1 "
                + "(veth1 has IFLA_MASTER br0), then NLMSG_DONE", untilDone(1001));

        socket.send(NetlinkCodec.encodeLinkRequest(socket.sendBuffer(), 1002, 9999));
        write("error-enodev", "reply to RTM_GETLINK for ifindex 9999 (no such link), seq 1002: NLMSG_ERROR -ENODEV",
                one(collect(300), d -> firstType(d) == NetlinkCodec.NLMSG_ERROR));

        int veth0 = ns.ifindex("veth0");
        ns.exec("link", "del", "veth0");
        List<byte[]> gone = collect(500);
        write("link-del-veth0", "RTM_DELLINK of veth0 (ifindex " + veth0 + ") for `ip link del veth0`",
                one(gone, d -> firstType(d) == NetlinkCodec.RTM_DELLINK && linkName(d).equals("veth0")));
        write("link-del-sequence", "every datagram after `ip link del veth0`, in order: the RTM_DELNEIGH of its "
                + "neighbors come before its RTM_DELLINK", gone);
    }

    private List<byte[]> collect(int millis) throws IOException {
        List<byte[]> out = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return out;
            }
            try {
                long n = socket.recv(memory, BUF, LibC.MSG_DONTWAIT);
                out.add(memory.getByteArray(0, (int) n));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EAGAIN) {
                    throw new IOException("recv: " + e.getMessage());
                }
                socket.awaitReadable((int) left);
            }
        }
    }

    private List<byte[]> untilDone(int seq) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            for (byte[] d : collect(200)) {
                ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.nativeOrder());
                if (b.getInt(8) != seq) {
                    continue;
                }
                out.add(d);
                boolean[] done = {false};
                NetlinkCodec.forEachMessage(b, 0, d.length, (buf, off, len, type, flags, s, pid) -> {
                    if (type == NetlinkCodec.NLMSG_DONE) {
                        done[0] = true;
                    }
                }, (r, detail) -> {
                    throw new IllegalStateException(detail);
                });
                if (done[0]) {
                    return out;
                }
            }
        }
        throw new IllegalStateException("no NLMSG_DONE for seq " + seq);
    }

    private static List<byte[]> one(List<byte[]> datagrams, Predicate<byte[]> wanted) {
        for (byte[] d : datagrams) {
            if (wanted.test(d)) {
                return List.of(d);
            }
        }
        throw new IllegalStateException("the wanted datagram was not among " + datagrams.size());
    }

    private static Predicate<byte[]> neighbor(boolean deleted, String ip) {
        return d -> {
            ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.nativeOrder());
            int type = b.getShort(4) & 0xFFFF;
            if (type != NetlinkCodec.RTM_NEWNEIGH && type != NetlinkCodec.RTM_DELNEIGH) {
                return false;
            }
            NeighborMessage m = NetlinkCodec.decodeNeighbor(b, 0, b.getInt(0), (i, f) -> "if" + i, (r, x) -> {
            });
            return m != null && m.deleted() == deleted && m.address() != null && m.address().toString().equals(ip);
        };
    }

    private static int firstType(byte[] d) {
        return ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).getShort(4) & 0xFFFF;
    }

    private static String linkName(byte[] d) {
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.nativeOrder());
        Link l = NetlinkCodec.decodeLink(b, 0, b.getInt(0), (r, x) -> {
        });
        return l == null || l.name() == null ? "" : l.name();
    }

    private void write(String name, String what, List<byte[]> datagrams) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(what).append('\n');
        sb.append("# captured ").append(LocalDate.now()).append(" by CaptureFixtures (see its javadoc) on Linux ")
                .append(System.getProperty("os.version")).append(' ').append(System.getProperty("os.arch"))
                .append(", byte order ").append(ByteOrder.nativeOrder()).append('\n');
        sb.append("# one datagram per line, as recv() returned it\n");
        for (byte[] d : datagrams) {
            sb.append(HexFormat.of().formatHex(d)).append('\n');
        }
        Files.writeString(dir.resolve(name + ".hex"), sb.toString(), StandardCharsets.US_ASCII);
        System.out.println("wrote " + name + ".hex (" + datagrams.size() + " datagrams)");
    }
}
