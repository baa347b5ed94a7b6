package net.neighsyncd.netlink.internal;

/**
 * A decoded NLMSG_ERROR.
 *
 * @param errno       the positive errno, or 0 for an acknowledgement
 * @param requestType the type of the request it answers, -1 when the echoed header is missing
 * @param requestSeq  the sequence number of that request, -1 when the echoed header is missing
 */
record NetlinkError(int errno, int requestType, int requestSeq) {
    boolean isAck() {
        return errno == 0;
    }
}
