package net.neighsyncd.webconsole.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Web Console password hashes: {@code {sha-256}<salt hex>-<iterations>-<base64 digest>}, the
 * digest being SHA-256 applied {@code iterations} times to the salt followed by the password,
 * as the console's own {@code Password} class hashes and checks them.
 */
final class ConsolePasswords {
    static final int ITERATIONS = 1000;

    private ConsolePasswords() {
    }

    /** True for a value of the {@code {algorithm}...} form, which the console treats as a hash. */
    static boolean isHashed(String value) {
        return value.startsWith("{") && value.indexOf('}') > 0;
    }

    static String hash(String password) {
        byte[] salt = new byte[8];
        new SecureRandom().nextBytes(salt);
        String saltHex = HexFormat.of().formatHex(salt);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] bytes = (saltHex + password).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < ITERATIONS; i++) {
                md.reset();
                bytes = md.digest(bytes);
            }
            return "{sha-256}" + saltHex + "-" + ITERATIONS + "-" + Base64.getEncoder().encodeToString(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
