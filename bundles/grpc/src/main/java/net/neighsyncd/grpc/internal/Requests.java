package net.neighsyncd.grpc.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.api.watch.NeighborSelector;
import net.neighsyncd.grpc.v1.NeighborFilter;

/**
 * What the fields of the v1 requests mean, each bad one an INVALID_ARGUMENT that names it: the
 * same rules as the HTTP API's query parameters.
 */
final class Requests {
    private Requests() {
    }

    static NeighborSelector selector(NeighborFilter f) {
        String ifname = f.getIfname().isEmpty() ? null : interfaceName("filter.ifname", f.getIfname());
        try {
            return new NeighborSelector(ifname, ProtoMapping.family(f.getFamily()), blankToNull(f.getVrf()),
                    blankToNull(f.getMacPrefix()), ProtoMapping.state(f.getState()));
        } catch (IllegalArgumentException e) {
            throw invalid("filter: " + e.getMessage());
        }
    }

    static int pageSize(int requested, int max) {
        if (requested == 0) {
            return Math.min(100, max);
        }
        if (requested < 0 || requested > max) {
            throw invalid("page_size: " + Integer.toUnsignedString(requested) + " is outside 1.." + max);
        }
        return requested;
    }

    /** The key a page token stands for; null for none. */
    static NeighborKey after(String token) {
        if (token.isBlank()) {
            return null;
        }
        try {
            String key = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            return NeighborKey.canonical(key).orElseThrow(IllegalArgumentException::new);
        } catch (IllegalArgumentException e) {
            throw invalid("page_token: not a token this API gave");
        }
    }

    /** The token of the page after {@code last}: the same as the HTTP API's cursor. */
    static String tokenAfter(NeighborKey last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(last.toString().getBytes(StandardCharsets.UTF_8));
    }

    static NeighborKey key(String ifname, String ip) {
        interfaceName("ifname", ifname);
        try {
            return new NeighborKey(ifname, IpAddress.parse(ip));
        } catch (IllegalArgumentException e) {
            throw invalid("ip: not an IPv4 or IPv6 address");
        }
    }

    /** A resync's reason: at most 200 characters, no control characters; null for none. */
    static String reason(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.length() > 200 || text.chars().anyMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR)) {
            throw invalid("reason: at most 200 characters, no control characters");
        }
        return text;
    }

    private static String interfaceName(String field, String name) {
        if (name == null || name.isEmpty() || name.length() > 15 || name.indexOf(':') >= 0 || name.indexOf('/') >= 0
                || name.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw invalid(field + ": not an interface name (1 to 15 characters, no space, '/' or ':')");
        }
        return name;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
