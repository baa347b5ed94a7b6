package net.neighsyncd.access.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import net.neighsyncd.api.access.Caller;
import net.neighsyncd.api.access.Scope;

/**
 * The bearer tokens the API accepts, as configured: {@code name:scope:sha256-hex} entries,
 * separated by commas. Only the SHA-256 of a token is configured and kept (a token is 32 random
 * bytes, so a fast hash is enough: there is nothing to guess from). Checks compare digests in
 * constant time.
 */
final class ApiTokens {
    /** A token as it is handed out: a prefix that tells what it is, then 32 random bytes, base64url. */
    static final String PREFIX = "nsd_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    /** A configured token: who it is for, what it may do, and the SHA-256 of the token. */
    record Token(String name, Scope scope, byte[] digest) {
    }

    static final ApiTokens NONE = new ApiTokens(List.of());

    private final List<Token> tokens;

    private ApiTokens(List<Token> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /**
     * Parses the configured entries.
     *
     * @throws IllegalArgumentException naming every entry that is not {@code name:scope:sha256-hex},
     *         and names given twice
     */
    static ApiTokens parse(String entries) {
        List<Token> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (String raw : (entries == null ? "" : entries).split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split(":", -1);
            if (parts.length != 3) {
                problems.add("'" + shown(entry) + "' is not name:scope:sha256-hex");
                continue;
            }
            String name = parts[0].trim();
            if (!NAME.matcher(name).matches()) {
                problems.add("token name '" + name + "' must be 1 to 64 of A-Z a-z 0-9 . _ -");
                continue;
            }
            if (seen.put(name, true) != null) {
                problems.add("token name '" + name + "' is given twice");
                continue;
            }
            Scope scope;
            try {
                scope = Scope.parse(parts[1]);
            } catch (IllegalArgumentException e) {
                problems.add("token '" + name + "': " + e.getMessage());
                continue;
            }
            String hash = parts[2].trim().toLowerCase(java.util.Locale.ROOT);
            if (!HASH.matcher(hash).matches()) {
                problems.add("token '" + name + "': the hash must be 64 hex digits (the SHA-256 of the token; "
                        + "bin/neighsyncd --new-api-token prints one), not the token itself");
                continue;
            }
            out.add(new Token(name, scope, HexFormat.of().parseHex(hash)));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new ApiTokens(out);
    }

    /** An entry is shown without its last part, which may be a pasted token. */
    private static String shown(String entry) {
        int colon = entry.lastIndexOf(':');
        return colon < 0 ? "…" : entry.substring(0, colon + 1) + "…";
    }

    boolean isEmpty() {
        return tokens.isEmpty();
    }

    int size() {
        return tokens.size();
    }

    /** Who {@code bearer} is, when it is a configured token. */
    Optional<Caller> recognise(String bearer) {
        if (bearer == null || bearer.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(bearer);
        Caller found = null;
        for (Token t : tokens) {
            // every entry is compared, so the time says nothing of which one matched
            if (MessageDigest.isEqual(t.digest(), digest)) {
                found = new Caller(t.name(), t.scope());
            }
        }
        return Optional.ofNullable(found);
    }

    /** A new token, to hand to a client once. */
    static String newToken(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 of {@code token}: what the configuration holds. */
    static String hashOf(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
