package net.neighsyncd.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;

/**
 * The Web Console's login, settled before the framework starts so that there is never a moment
 * with the console's built-in admin/admin. The password is, in this order:
 * <ol>
 * <li>the operator's own, when the {@code password} line of
 * {@code etc/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg} no longer holds the
 * placeholder {@code ${neighsyncd.webconsole.password}};</li>
 * <li>else the one in the password file;</li>
 * <li>else a random one, generated into the password file, created readable by its owner only
 * before anything is written to it.</li>
 * </ol>
 * Only its hash, in the console's {@code {sha-256}salt-iterations-digest} form, goes into the
 * framework properties.
 */
final class WebConsoleAccess {
    static final String PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    static final String PLACEHOLDER = "${neighsyncd.webconsole.password}";
    static final String DEFAULT_USER = "admin";
    static final int ITERATIONS = 1000;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_LENGTH = 24;

    /** The console's user and password hash, and a line for the operator saying where the password is. */
    record Login(String user, String passwordHash, String where) {
    }

    private WebConsoleAccess() {
    }

    static Login resolve(Path configDir, Path passwordFile, java.io.PrintStream out) throws IOException {
        Path cfg = configDir.resolve(PID + ".cfg");
        Properties file = new Properties();
        if (Files.isRegularFile(cfg)) {
            try (Reader r = new StringReader(Files.readString(cfg, StandardCharsets.ISO_8859_1))) {
                file.load(r);
            }
        }
        String user = file.getProperty("username", DEFAULT_USER).strip();
        if (user.isEmpty() || user.contains("${")) {
            user = DEFAULT_USER;
        }
        String own = file.getProperty("password");
        if (own != null && !own.strip().equals(PLACEHOLDER)) {
            String value = own.strip();
            if (value.isEmpty()) {
                throw new IOException(cfg + ": the password is empty, which makes the Web Console accept admin/admin; "
                        + "put a hash there (bin/neighsyncd --hash-password) or the line password = " + PLACEHOLDER);
            }
            if (isHashed(value)) {
                return new Login(user, value, "password set in " + cfg);
            }
            if (value.contains("${")) {
                // resolved by FileInstall once the framework runs; until then nothing is accepted
                return new Login(user, hash(randomPassword()), "password set in " + cfg);
            }
            out.println("neighsyncd: warning: " + cfg + " holds the Web Console password in clear text; "
                    + "replace it with its hash (bin/neighsyncd --hash-password)");
            return new Login(user, hash(value), "password set in " + cfg);
        }

        if (Files.exists(passwordFile)) {
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new IOException(passwordFile + " is empty: write a password into it, or delete it to have one generated");
            }
            if (readableByOthers(passwordFile)) {
                out.println("neighsyncd: warning: " + passwordFile + " is readable by others than its owner; "
                        + "chmod 600 it");
            }
            return new Login(user, hash(password), "password in " + passwordFile);
        }

        String password = randomPassword();
        write(passwordFile, password);
        out.println("neighsyncd: generated a Web Console password for user " + user + " into " + passwordFile
                + " (readable by its owner only)");
        return new Login(user, hash(password), "password in " + passwordFile);
    }

    /** Creates the file owner-only (where the file system has POSIX permissions), then writes it. */
    static void write(Path file, String password) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean posix = Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null;
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while the password was being generated; start again", e);
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** True for a value of the {@code {algorithm}...} form, which the console takes for a hash. */
    static boolean isHashed(String value) {
        return value.startsWith("{") && value.indexOf('}') > 0;
    }

    /**
     * The console's salted, iterated hash: {@code {sha-256}<salt hex>-<iterations>-<base64>} where
     * the digest is SHA-256 applied {@code iterations} times to the salt followed by the password.
     */
    static String hash(String password) {
        byte[] salt = new byte[8];
        new SecureRandom().nextBytes(salt);
        return hash(password, HexFormat.of().formatHex(salt), ITERATIONS);
    }

    static String hash(String password, String saltHex, int iterations) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] bytes = (saltHex + password).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < iterations; i++) {
                md.reset();
                bytes = md.digest(bytes);
            }
            return "{sha-256}" + saltHex + "-" + iterations + "-" + Base64.getEncoder().encodeToString(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    private static boolean readableByOthers(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
            return false;
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        p.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
        return !p.isEmpty();
    }
}
