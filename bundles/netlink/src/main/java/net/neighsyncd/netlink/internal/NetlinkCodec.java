package net.neighsyncd.netlink.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.NeighborMessage;
import net.neighsyncd.libc.LibC;

/**
 * rtnetlink wire format: message walking, neighbor / link / error decoding, request encoding.
 * Pure Java over a {@link ByteBuffer} whose byte order the caller sets to the kernel's (native
 * order; captured fixtures are little-endian). Only absolute reads and writes are used, so the
 * buffer's position and limit are never touched. Nothing here throws on bad input: a malformed
 * message is reported to a {@link MalformedListener} and skipped.
 */
final class NetlinkCodec {
    static final int NLMSG_HDRLEN = 16;
    static final int NDMSG_LEN = 12;
    static final int IFINFOMSG_LEN = 16;
    static final int RTA_HDRLEN = 4;

    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_DELNEIGH = 29;
    static final int RTM_GETNEIGH = 30;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_DUMP = 0x300;

    static final int NDA_DST = 1;
    static final int NDA_LLADDR = 2;

    static final int IFLA_IFNAME = 3;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    /** In a VRF link's {@code IFLA_INFO_DATA}: its routing table, a u32. */
    static final int IFLA_VRF_TABLE = 1;

    /** Clears NLA_F_NESTED and NLA_F_NET_BYTEORDER from an attribute type. */
    static final int NLA_TYPE_MASK = 0x3FFF;

    private NetlinkCodec() {
    }

    /** Receives each well-formed message header of a datagram. */
    @FunctionalInterface
    interface MessageVisitor {
        /**
         * @param buf    the datagram's buffer
         * @param offset where the message (its nlmsghdr) starts
         * @param length {@code nlmsg_len}, header included; {@code offset + length} is within the datagram
         */
        void onMessage(ByteBuffer buf, int offset, int length, int type, int flags, int seq, int pid);
    }

    /** Told once per skipped message (or skipped datagram tail), with the reason. */
    @FunctionalInterface
    interface MalformedListener {
        void malformed(Malformed reason, String detail);
    }

    /** Names an interface index for a decoded neighbor. */
    @FunctionalInterface
    interface NameResolver {
        String name(int ifindex, int addressFamily);

        /** The name of the interface's master device, or null when it has none or it is unknown. */
        default String masterName(int ifindex) {
            return null;
        }
    }

    static int align(int len) {
        return (len + 3) & ~3;
    }

    /**
     * Walks the messages of one datagram ({@code length} bytes from {@code start}) and hands each
     * well-formed header to {@code visitor}. A bad header ends the walk: nothing after it can be
     * framed.
     *
     * @return the number of messages handed to the visitor
     */
    static int forEachMessage(ByteBuffer buf, int start, int length, MessageVisitor visitor, MalformedListener bad) {
        int off = start;
        int end = start + length;
        int count = 0;
        while (off < end) {
            int remaining = end - off;
            if (remaining < NLMSG_HDRLEN) {
                bad.malformed(Malformed.HEADER_TRUNCATED,
                        remaining + " bytes left at offset " + (off - start) + ", a header needs 16");
                break;
            }
            long len = buf.getInt(off) & 0xFFFF_FFFFL;
            int type = buf.getShort(off + 4) & 0xFFFF;
            if (len < NLMSG_HDRLEN) {
                bad.malformed(Malformed.LENGTH_TOO_SHORT,
                        typeName(type) + " at offset " + (off - start) + " has nlmsg_len " + len);
                break;
            }
            if (len > remaining) {
                bad.malformed(Malformed.LENGTH_PAST_END, typeName(type) + " at offset " + (off - start)
                        + " has nlmsg_len " + len + " but only " + remaining + " bytes remain");
                break;
            }
            int flags = buf.getShort(off + 6) & 0xFFFF;
            int seq = buf.getInt(off + 8);
            int pid = buf.getInt(off + 12);
            count++;
            visitor.onMessage(buf, off, (int) len, type, flags, seq, pid);
            off += align((int) len);
        }
        return count;
    }

    /**
     * Decodes an RTM_NEWNEIGH / RTM_DELNEIGH message. The interface name comes from
     * {@code names}, asked only once the message has proved well-formed.
     *
     * @return the message, or {@code null} when malformed (reported to {@code bad})
     */
    static NeighborMessage decodeNeighbor(ByteBuffer buf, int offset, int length, NameResolver names,
            MalformedListener bad) {
        int type = buf.getShort(offset + 4) & 0xFFFF;
        if (length < NLMSG_HDRLEN + NDMSG_LEN) {
            bad.malformed(Malformed.PAYLOAD_TOO_SHORT,
                    typeName(type) + " of " + length + " bytes has no room for its 12-byte ndmsg");
            return null;
        }
        int p = offset + NLMSG_HDRLEN;
        int family = buf.get(p) & 0xFF;
        int ifindex = buf.getInt(p + 4);
        int state = buf.getShort(p + 8) & 0xFFFF;
        int flags = buf.get(p + 10) & 0xFF;

        int dstOff = -1;
        int dstLen = 0;
        int llOff = -1;
        int llLen = 0;
        int end = offset + length;
        int a = p + NDMSG_LEN;
        while (a < end) {
            int alen = attributeLength(buf, a, end, type, offset, bad);
            if (alen < 0) {
                return null;
            }
            int atype = buf.getShort(a + 2) & NLA_TYPE_MASK;
            if (atype == NDA_DST) {
                dstOff = a + RTA_HDRLEN;
                dstLen = alen - RTA_HDRLEN;
            } else if (atype == NDA_LLADDR) {
                llOff = a + RTA_HDRLEN;
                llLen = alen - RTA_HDRLEN;
            }
            a += align(alen);
        }

        IpAddress address = null;
        if (dstOff >= 0 && (family == LibC.AF_INET || family == LibC.AF_INET6)) {
            int want = family == LibC.AF_INET ? 4 : 16;
            if (dstLen != want) {
                bad.malformed(Malformed.ADDRESS_LENGTH, typeName(type) + " family " + family + " on ifindex "
                        + ifindex + " has an NDA_DST of " + dstLen + " bytes, expected " + want);
                return null;
            }
            byte[] bytes = new byte[want];
            buf.get(dstOff, bytes);
            address = IpAddress.of(bytes);
        }
        MacAddress mac = null;
        if (llOff >= 0 && llLen == 6) {
            long bits = 0;
            for (int i = 0; i < 6; i++) {
                bits = (bits << 8) | (buf.get(llOff + i) & 0xFF);
            }
            mac = MacAddress.ofBits(bits);
        }
        String ifname = names.name(ifindex, family);
        return new NeighborMessage(type == RTM_DELNEIGH, family, ifindex, ifname, address, mac, state, flags,
                names.masterName(ifindex));
    }

    /**
     * Decodes an RTM_NEWLINK / RTM_DELLINK message: index, flags, name, master and kind.
     *
     * @return the link, or {@code null} when malformed (reported to {@code bad})
     */
    static Link decodeLink(ByteBuffer buf, int offset, int length, MalformedListener bad) {
        int type = buf.getShort(offset + 4) & 0xFFFF;
        if (length < NLMSG_HDRLEN + IFINFOMSG_LEN) {
            bad.malformed(Malformed.PAYLOAD_TOO_SHORT,
                    typeName(type) + " of " + length + " bytes has no room for its 16-byte ifinfomsg");
            return null;
        }
        int p = offset + NLMSG_HDRLEN;
        int family = buf.get(p) & 0xFF;
        int index = buf.getInt(p + 4);
        int ifiFlags = buf.getInt(p + 8);
        String name = null;
        int master = 0;
        String kind = null;
        int vrfTable = 0;
        int end = offset + length;
        int a = p + IFINFOMSG_LEN;
        while (a < end) {
            int alen = attributeLength(buf, a, end, type, offset, bad);
            if (alen < 0) {
                return null;
            }
            int atype = buf.getShort(a + 2) & NLA_TYPE_MASK;
            if (atype == IFLA_IFNAME) {
                name = cString(buf, a + RTA_HDRLEN, alen - RTA_HDRLEN);
            } else if (atype == IFLA_MASTER && alen >= RTA_HDRLEN + 4) {
                master = buf.getInt(a + RTA_HDRLEN);
            } else if (atype == IFLA_LINKINFO) {
                int nestEnd = a + alen;
                int n = a + RTA_HDRLEN;
                while (n < nestEnd) {
                    int nlen = attributeLength(buf, n, nestEnd, type, offset, bad);
                    if (nlen < 0) {
                        return null;
                    }
                    int ntype = buf.getShort(n + 2) & NLA_TYPE_MASK;
                    if (ntype == IFLA_INFO_KIND) {
                        kind = cString(buf, n + RTA_HDRLEN, nlen - RTA_HDRLEN);
                    } else if (ntype == IFLA_INFO_DATA && KernelVrfs.VRF_KIND.equals(kind)) {
                        // the kernel puts IFLA_INFO_KIND first, so the kind is known here
                        int dataEnd = n + nlen;
                        int d = n + RTA_HDRLEN;
                        while (d < dataEnd) {
                            int dlen = attributeLength(buf, d, dataEnd, type, offset, bad);
                            if (dlen < 0) {
                                return null;
                            }
                            if ((buf.getShort(d + 2) & NLA_TYPE_MASK) == IFLA_VRF_TABLE && dlen >= RTA_HDRLEN + 4) {
                                vrfTable = buf.getInt(d + RTA_HDRLEN);
                            }
                            d += align(dlen);
                        }
                    }
                    n += align(nlen);
                }
            }
            a += align(alen);
        }
        return new Link(family, index, name, master, kind, ifiFlags, vrfTable);
    }

    /**
     * Decodes an NLMSG_ERROR payload ({@code struct nlmsgerr}: a negative errno, then the
     * request's header).
     *
     * @return the error, or {@code null} when malformed (reported to {@code bad})
     */
    static NetlinkError decodeError(ByteBuffer buf, int offset, int length, MalformedListener bad) {
        if (length < NLMSG_HDRLEN + 4) {
            bad.malformed(Malformed.PAYLOAD_TOO_SHORT, "NLMSG_ERROR of " + length + " bytes has no error code");
            return null;
        }
        int error = buf.getInt(offset + NLMSG_HDRLEN);
        int requestType = -1;
        int requestSeq = -1;
        if (length >= NLMSG_HDRLEN + 4 + NLMSG_HDRLEN) {
            requestType = buf.getShort(offset + NLMSG_HDRLEN + 4 + 4) & 0xFFFF;
            requestSeq = buf.getInt(offset + NLMSG_HDRLEN + 4 + 8);
        }
        return new NetlinkError(error == Integer.MIN_VALUE ? Integer.MAX_VALUE : Math.abs(error), requestType,
                requestSeq);
    }

    /** The errno an NLMSG_DONE carries (0 when the dump succeeded, or when it carries none). */
    static int doneErrno(ByteBuffer buf, int offset, int length) {
        if (length < NLMSG_HDRLEN + 4) {
            return 0;
        }
        int error = buf.getInt(offset + NLMSG_HDRLEN);
        return error == Integer.MIN_VALUE ? Integer.MAX_VALUE : Math.abs(error);
    }

    /** Writes an RTM_GETLINK dump request (AF_UNSPEC) at index 0; returns its length. */
    static int encodeLinkDumpRequest(ByteBuffer out, int seq) {
        int len = NLMSG_HDRLEN + IFINFOMSG_LEN;
        header(out, len, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq);
        zero(out, NLMSG_HDRLEN, IFINFOMSG_LEN);
        return len;
    }

    /** Writes an RTM_GETNEIGH dump request (AF_UNSPEC: IPv4, IPv6 and bridge entries) at index 0; returns its length. */
    static int encodeNeighborDumpRequest(ByteBuffer out, int seq) {
        int len = NLMSG_HDRLEN + NDMSG_LEN;
        header(out, len, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, seq);
        zero(out, NLMSG_HDRLEN, NDMSG_LEN);
        return len;
    }

    /** Writes an RTM_GETLINK request for one interface index at index 0; returns its length. */
    static int encodeLinkRequest(ByteBuffer out, int seq, int ifindex) {
        int len = NLMSG_HDRLEN + IFINFOMSG_LEN;
        header(out, len, RTM_GETLINK, NLM_F_REQUEST, seq);
        zero(out, NLMSG_HDRLEN, IFINFOMSG_LEN);
        out.putInt(NLMSG_HDRLEN + 4, ifindex);
        return len;
    }

    /**
     * Writes an RTM_NEWNEIGH request that creates or replaces one neighbor, at {@code offset}
     * (4-aligned), so several can follow one another in one datagram: flags
     * NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_REPLACE, an ndmsg with the family of
     * {@code address}, {@code ifindex} and {@code state} ({@code ndm_flags} and {@code ndm_type}
     * 0), then NDA_DST and NDA_LLADDR.
     *
     * @param address the IPv4 (4 bytes) or IPv6 (16 bytes) address
     * @param mac     the link-layer address in the low 48 bits, network order
     * @return the message's length (48 for IPv4, 60 for IPv6; a multiple of 4)
     */
    static int encodeNeighborReplace(ByteBuffer out, int offset, int seq, byte[] address, int ifindex, int state,
            long mac) {
        int family;
        if (address.length == 4) {
            family = LibC.AF_INET;
        } else if (address.length == 16) {
            family = LibC.AF_INET6;
        } else {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got " + address.length);
        }
        int dstLen = RTA_HDRLEN + address.length;
        int llLen = RTA_HDRLEN + 6;
        int len = NLMSG_HDRLEN + NDMSG_LEN + align(dstLen) + align(llLen);
        header(out, offset, len, RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, seq);
        int p = offset + NLMSG_HDRLEN;
        out.put(p, (byte) family);
        out.put(p + 1, (byte) 0);
        out.putShort(p + 2, (short) 0);
        out.putInt(p + 4, ifindex);
        out.putShort(p + 8, (short) state);
        out.put(p + 10, (byte) 0);
        out.put(p + 11, (byte) 0);
        int a = p + NDMSG_LEN;
        out.putShort(a, (short) dstLen);
        out.putShort(a + 2, (short) NDA_DST);
        for (int i = 0; i < address.length; i++) {
            out.put(a + RTA_HDRLEN + i, address[i]);
        }
        zero(out, a + dstLen, align(dstLen) - dstLen);
        a += align(dstLen);
        out.putShort(a, (short) llLen);
        out.putShort(a + 2, (short) NDA_LLADDR);
        for (int i = 0; i < 6; i++) {
            out.put(a + RTA_HDRLEN + i, (byte) (mac >>> (40 - 8 * i)));
        }
        zero(out, a + llLen, align(llLen) - llLen);
        return len;
    }

    /** A readable name for a message type, for logs. */
    static String typeName(int type) {
        switch (type) {
            case NLMSG_NOOP:
                return "NLMSG_NOOP";
            case NLMSG_ERROR:
                return "NLMSG_ERROR";
            case NLMSG_DONE:
                return "NLMSG_DONE";
            case NLMSG_OVERRUN:
                return "NLMSG_OVERRUN";
            case RTM_NEWLINK:
                return "RTM_NEWLINK";
            case RTM_DELLINK:
                return "RTM_DELLINK";
            case RTM_GETLINK:
                return "RTM_GETLINK";
            case RTM_NEWNEIGH:
                return "RTM_NEWNEIGH";
            case RTM_DELNEIGH:
                return "RTM_DELNEIGH";
            case RTM_GETNEIGH:
                return "RTM_GETNEIGH";
            default:
                return "type " + type;
        }
    }

    /**
     * The {@code rta_len} of the attribute at {@code a}, checked to lie within {@code end};
     * -1 (reported) when it does not.
     */
    private static int attributeLength(ByteBuffer buf, int a, int end, int type, int msgOffset,
            MalformedListener bad) {
        if (end - a < RTA_HDRLEN) {
            bad.malformed(Malformed.ATTRIBUTE_PAST_END, typeName(type) + ": " + (end - a)
                    + " bytes left at byte " + (a - msgOffset) + ", an attribute header needs 4");
            return -1;
        }
        int alen = buf.getShort(a) & 0xFFFF;
        if (alen < RTA_HDRLEN) {
            bad.malformed(Malformed.ATTRIBUTE_TOO_SHORT, typeName(type) + ": attribute type "
                    + (buf.getShort(a + 2) & NLA_TYPE_MASK) + " at byte " + (a - msgOffset) + " has rta_len " + alen);
            return -1;
        }
        if (alen > end - a) {
            bad.malformed(Malformed.ATTRIBUTE_PAST_END, typeName(type) + ": attribute type "
                    + (buf.getShort(a + 2) & NLA_TYPE_MASK) + " at byte " + (a - msgOffset) + " has rta_len " + alen
                    + " but only " + (end - a) + " bytes remain");
            return -1;
        }
        return alen;
    }

    /** A NUL-terminated (or attribute-bounded) string. */
    private static String cString(ByteBuffer buf, int off, int max) {
        int n = 0;
        while (n < max && buf.get(off + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        buf.get(off, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void header(ByteBuffer out, int len, int type, int flags, int seq) {
        header(out, 0, len, type, flags, seq);
    }

    private static void header(ByteBuffer out, int offset, int len, int type, int flags, int seq) {
        out.putInt(offset, len);
        out.putShort(offset + 4, (short) type);
        out.putShort(offset + 6, (short) flags);
        out.putInt(offset + 8, seq);
        out.putInt(offset + 12, 0);
    }

    private static void zero(ByteBuffer out, int from, int count) {
        for (int i = 0; i < count; i++) {
            out.put(from + i, (byte) 0);
        }
    }
}
