package net.neighsyncd.logging.internal;

import java.util.Locale;
import java.util.Map;
import net.neighsyncd.unixdatagram.UnixAddress;

/**
 * Where and as whom syslog messages go.
 *
 * @param address    a unix datagram socket ({@code /dev/log}, or {@code @name}), or {@code udp:host:port}
 * @param identifier the tag before the message, SONiC's program name ({@code neighsyncd})
 * @param facility   the syslog facility code (user = 1, daemon = 3, local0..7 = 16..23)
 */
record SyslogTarget(String address, String identifier, int facility) {
    static final String DEFAULT_ADDRESS = "/dev/log";
    static final String DEFAULT_IDENTIFIER = "neighsyncd";
    static final String DEFAULT_FACILITY = "user";

    private static final Map<String, Integer> FACILITIES = Map.ofEntries(Map.entry("user", 1),
            Map.entry("daemon", 3), Map.entry("local0", 16), Map.entry("local1", 17), Map.entry("local2", 18),
            Map.entry("local3", 19), Map.entry("local4", 20), Map.entry("local5", 21), Map.entry("local6", 22),
            Map.entry("local7", 23));

    static SyslogTarget parse(String address, String identifier, String facility) {
        if (isUdp(address)) {
            udpPort(address);
        } else {
            try {
                UnixAddress.sockaddr(address);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("syslogAddress: " + e.getMessage()
                        + " (a unix socket path such as /dev/log, @name, or udp:host:port)");
            }
        }
        if (!identifier.matches("[A-Za-z0-9_.#-]{1,48}")) {
            throw new IllegalArgumentException("syslogIdentifier: '" + identifier
                    + "' must be 1 to 48 letters, digits or _ . # -");
        }
        Integer code = FACILITIES.get(facility.toLowerCase(Locale.ROOT));
        if (code == null) {
            throw new IllegalArgumentException("syslogFacility: '" + facility
                    + "' is not one of user, daemon, local0 .. local7");
        }
        return new SyslogTarget(address, identifier, code);
    }

    boolean udp() {
        return isUdp(address);
    }

    /** The host of a {@code udp:host:port} address. */
    String udpHost() {
        String rest = address.substring("udp:".length());
        return rest.substring(0, rest.lastIndexOf(':'));
    }

    int udpPort() {
        return udpPort(address);
    }

    private static boolean isUdp(String address) {
        return address.startsWith("udp:");
    }

    private static int udpPort(String address) {
        String rest = address.substring("udp:".length());
        int colon = rest.lastIndexOf(':');
        try {
            int port = colon <= 0 ? -1 : Integer.parseInt(rest.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("syslogAddress: '" + address + "' is not udp:host:port");
        }
    }
}
