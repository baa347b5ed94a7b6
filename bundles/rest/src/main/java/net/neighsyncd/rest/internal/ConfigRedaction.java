package net.neighsyncd.rest.internal;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * What {@code GET /api/v1/config} does not show: the value of any key that names a secret
 * (password, secret, token, credential, a key), and the user part of a URL
 * ({@code redis://user:pass@host} shows as {@code redis://<redacted>@host}).
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
        if (value instanceof String s && s.contains("://") && s.contains("@")) {
            return withoutUserInfo(s);
        }
        return value;
    }

    private static String withoutUserInfo(String s) {
        try {
            URI u = new URI(s);
            if (u.getRawUserInfo() == null) {
                return s;
            }
            return s.replace(u.getRawUserInfo() + "@", REDACTED + "@");
        } catch (java.net.URISyntaxException e) {
            // not a URL we can read: shown only up to the scheme
            return s.substring(0, s.indexOf("://") + 3) + REDACTED;
        }
    }
}
