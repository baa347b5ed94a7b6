package net.neighsyncd.launcher;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code --new-api-token NAME:SCOPE}: a new bearer token for the REST API, printed once, and the
 * configuration entry that admits it, which holds only the token's SHA-256 (the form the rest
 * bundle's configuration takes: {@code name:scope:sha256-hex}).
 */
final class ApiTokenCommand {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ApiTokenCommand() {
    }

    /** Prints the token and its entry; exit status 0, or 2 for a bad argument. */
    static int run(String nameAndScope, SecureRandom random, PrintStream out, PrintStream err) {
        int colon = nameAndScope.indexOf(':');
        String name = colon < 0 ? nameAndScope : nameAndScope.substring(0, colon);
        String scope = colon < 0 ? "" : nameAndScope.substring(colon + 1).toLowerCase(Locale.ROOT);
        if (!NAME.matcher(name).matches() || !(scope.equals("read") || scope.equals("admin"))) {
            err.println("neighsyncd: --new-api-token takes NAME:read or NAME:admin (NAME: 1 to 64 of A-Z a-z 0-9 . _ -)");
            return 2;
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "nsd_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        out.println("token for " + name + " (scope " + scope + "); give it to the client, it is not kept anywhere:");
        out.println("  " + token);
        out.println("entry to add to tokens in etc/net.neighsyncd.access.cfg (entries separated by commas):");
        out.println("  " + name + ":" + scope + ":" + sha256Hex(token));
        return 0;
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
