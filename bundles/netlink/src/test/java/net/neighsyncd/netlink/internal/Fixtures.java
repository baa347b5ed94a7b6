package net.neighsyncd.netlink.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Loads the captured datagrams under {@code src/test/resources/fixtures} (written by
 * {@link CaptureFixtures}): one datagram of hex per line; {@code #} lines are comments, one of
 * which names the byte order of the machine that captured them.
 */
final class Fixtures {
    private Fixtures() {
    }

    /** The datagrams of a fixture, each in a buffer of the capture's byte order. */
    static List<ByteBuffer> load(String name) {
        String text;
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name + ".hex")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteOrder order = text.contains("byte order BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        List<ByteBuffer> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            out.add(ByteBuffer.wrap(HexFormat.of().parseHex(l)).order(order));
        }
        return out;
    }

    /** The only datagram of a fixture. */
    static ByteBuffer one(String name) {
        List<ByteBuffer> all = load(name);
        if (all.size() != 1) {
            throw new IllegalStateException(name + " holds " + all.size() + " datagrams");
        }
        return all.get(0);
    }
}
