package net.neighsyncd.rest.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code GET /api/v1/config} does not show: the value of any key that names a secret
 * (password, secret, token, credential, a private or API key); in any URL, its user part; in an
 * {@code http}/{@code https} URL, its path and query too (a webhook's secret usually sits there).
 * Each element of a list is treated alike.
 */
final class ConfigRedaction {
    static final String REDACTED = "<redacted>";
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|passwd|secret|token|credential|"
            + "private.?key|api.?key).*");

    private ConfigRedaction() {
    }

    static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** {@code value} as it may be shown under {@code key}. */
    static Object shown(String key, Object value) {
        if (isSecret(key)) {
            return REDACTED;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(shown(key, v)));
            return out;
        }
        if (value instanceof String s && s.contains("://")) {
            return url(s);
        }
        return value;
    }

    private static String url(String s) {
        URI u;
        try {
            u = new URI(s.trim());
        } catch (java.net.URISyntaxException e) {
            // not a URL we can take apart: only its scheme is shown
            return s.substring(0, s.indexOf("://") + 3) + REDACTED;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(scheme).append("://");
        if (u.getRawUserInfo() != null) {
            out.append(REDACTED).append('@');
        }
        if (u.getHost() != null) {
            out.append(u.getHost());
        }
        if (u.getPort() >= 0) {
            out.append(':').append(u.getPort());
        }
        boolean web = scheme.equals("http") || scheme.equals("https");
        boolean rest = u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")
                || u.getRawQuery() != null || u.getRawFragment() != null;
        if (web) {
            if (rest) {
                out.append('/').append(REDACTED);
            }
        } else {
            if (u.getRawPath() != null) {
                out.append(u.getRawPath());
            }
            if (u.getRawQuery() != null) {
                out.append('?').append(u.getRawQuery());
            }
        }
        return out.toString();
    }
}
