package net.neighsyncd.netlink.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds netlink bytes by hand (little-endian) for hostile and synthetic test input. */
final class Wire {
    private Wire() {
    }

    static byte[] attr(int type, byte... value) {
        int len = 4 + value.length;
        ByteBuffer b = le(NetlinkCodec.align(len));
        b.putShort((short) len).putShort((short) type).put(value);
        return b.array();
    }

    /** An attribute with an explicit rta_len that may lie. */
    static byte[] rawAttr(int rtaLen, int type, byte... value) {
        ByteBuffer b = le(NetlinkCodec.align(4 + value.length));
        b.putShort((short) rtaLen).putShort((short) type).put(value);
        return b.array();
    }

    static byte[] ndmsg(int family, int ifindex, int state, int flags, int type) {
        ByteBuffer b = le(12);
        b.put((byte) family).put((byte) 0).putShort((short) 0).putInt(ifindex).putShort((short) state)
                .put((byte) flags).put((byte) type);
        return b.array();
    }

    static byte[] ifinfomsg(int family, int index) {
        ByteBuffer b = le(16);
        b.put((byte) family).put((byte) 0).putShort((short) 1).putInt(index).putInt(0x1003).putInt(0);
        return b.array();
    }

    /** A message whose nlmsg_len is the true length. */
    static byte[] message(int type, int flags, int seq, int pid, byte[]... parts) {
        byte[] payload = concat(parts);
        return messageWithLength(16 + payload.length, type, flags, seq, pid, payload);
    }

    static byte[] messageWithLength(int nlmsgLen, int type, int flags, int seq, int pid, byte[] payload) {
        ByteBuffer b = le(NetlinkCodec.align(16 + payload.length));
        b.putInt(nlmsgLen).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid).put(payload);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static ByteBuffer datagram(byte[]... messages) {
        return ByteBuffer.wrap(concat(messages)).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] ipv4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    static byte[] mac(int... six) {
        byte[] out = new byte[six.length];
        for (int i = 0; i < six.length; i++) {
            out[i] = (byte) six[i];
        }
        return out;
    }

    static byte[] cstring(String s) {
        byte[] raw = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = new byte[raw.length + 1];
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }

    static byte[] int32(int v) {
        return le(4).putInt(v).array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
