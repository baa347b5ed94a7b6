package net.neighsyncd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's neighbors: number {@code i} (from 1, at most 2^24 - 1) is the permanent IPv4
 * neighbor {@code 10.<i>} on {@code Ethernet0} with MAC {@code 02:00:00:<i>}; the daemon writes
 * it as the key {@code Ethernet0:10.<i>} with the fields {@code neigh} and {@code family}.
 */
final class NeighborSet {
    /** The interface every neighbor is on, in the namespace and in the key. */
    static final String INTERFACE = "Ethernet0";

    private NeighborSet() {
    }

    static String address(int i) {
        return String.format(Locale.ROOT, "10.%d.%d.%d", (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF);
    }

    static String mac(int i) {
        return String.format(Locale.ROOT, "02:00:00:%02x:%02x:%02x", (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF);
    }

    /** The APPL_DB key of neighbor {@code i} without the table name. */
    static String key(int i) {
        return INTERFACE + ":" + address(i);
    }

    /** The {@code ip -batch} line that adds neighbor {@code i}. */
    static String ipBatchLine(int i) {
        return "neigh replace " + address(i) + " lladdr " + mac(i) + " dev " + INTERFACE + " nud permanent";
    }

    /** The {@code ip -batch} lines adding neighbors {@code from} to {@code to}, both included. */
    static List<String> ipBatchLines(int from, int to) {
        List<String> lines = new ArrayList<>(Math.max(0, to - from + 1));
        for (int i = from; i <= to; i++) {
            lines.add(ipBatchLine(i));
        }
        return lines;
    }
}
