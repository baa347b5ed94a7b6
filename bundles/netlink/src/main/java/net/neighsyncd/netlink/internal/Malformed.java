package net.neighsyncd.netlink.internal;

import java.util.Locale;

/** Why a netlink message (or what is left of a datagram) was skipped. */
enum Malformed {
    /** Fewer than 16 bytes left in the datagram for a message header. */
    HEADER_TRUNCATED,
    /** {@code nlmsg_len} is smaller than the 16-byte header. */
    LENGTH_TOO_SHORT,
    /** {@code nlmsg_len} runs past the end of the datagram. */
    LENGTH_PAST_END,
    /** The payload is shorter than its fixed header ({@code ndmsg}, {@code ifinfomsg}, {@code nlmsgerr}). */
    PAYLOAD_TOO_SHORT,
    /** An attribute's {@code rta_len} is below 4. */
    ATTRIBUTE_TOO_SHORT,
    /** An attribute (or its header) runs past the end of its message or nest. */
    ATTRIBUTE_PAST_END,
    /** {@code NDA_DST} has a length that does not fit the message's IP family. */
    ADDRESS_LENGTH,
    /** The datagram was longer than the receive buffer (MSG_TRUNC): its tail is lost. */
    DATAGRAM_TRUNCATED;

    /** The counter name, e.g. {@code malformed.length_past_end}. */
    String counterName() {
        return "malformed." + shortName();
    }

    /** The lower-case name, e.g. {@code length_past_end}. */
    String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
