package net.neighsyncd.unixdatagram;

import java.nio.charset.StandardCharsets;
import net.neighsyncd.libc.LibC;

/** Builds {@code struct sockaddr_un} values. */
public final class UnixAddress {
    /** {@code sizeof(sun_path)} on Linux. */
    public static final int SUN_PATH_MAX = 108;

    private UnixAddress() {
    }

    /**
     * The {@code struct sockaddr_un} for {@code address}, cut to its used length (the length
     * {@code sendto}/{@code bind} get): an absolute path keeps its terminating NUL; a name starting
     * with {@code @} is in the abstract namespace (the {@code @} becomes the leading NUL, no
     * terminator), as {@code sd_notify(3)} reads {@code NOTIFY_SOCKET}.
     *
     * @throws IllegalArgumentException when it is neither, or too long
     */
    public static byte[] sockaddr(String address) {
        if (address.isEmpty() || !(address.startsWith("/") || address.startsWith("@"))) {
            throw new IllegalArgumentException("not an absolute path or an @abstract name: '" + address + "'");
        }
        byte[] name = address.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name[0] == '@';
        int pathLength = abstractName ? name.length : name.length + 1;
        if (pathLength > SUN_PATH_MAX) {
            throw new IllegalArgumentException("longer than " + SUN_PATH_MAX + " bytes: " + address);
        }
        byte[] sockaddr = new byte[2 + pathLength];
        // sa_family in native order; every Linux target neighsyncd runs on is little-endian
        sockaddr[0] = (byte) LibC.AF_UNIX;
        sockaddr[1] = 0;
        System.arraycopy(name, 0, sockaddr, 2, name.length);
        if (abstractName) {
            sockaddr[2] = 0;
        }
        return sockaddr;
    }
}
