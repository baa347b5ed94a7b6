package net.neighsyncd.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real certificate and key for TLS tests, made by the {@code openssl} command in PEM: the
 * certificate for {@code 127.0.0.1} (subject alternative name), the key unencrypted PKCS#8.
 *
 * @param certificate the PEM certificate
 * @param key         the PEM private key
 */
public record SelfSignedCertificate(Path certificate, Path key) {

    /** Whether {@code openssl} can be run here. */
    public static boolean available() {
        return whyUnavailable() == null;
    }

    /** Why no certificate can be made here; null when one can. */
    public static String whyUnavailable() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "openssl version failed";
        } catch (IOException e) {
            return "openssl is not installed (scripts/test installs it): " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Makes a certificate and its {@code algorithm} key ({@code rsa:2048}, {@code ec}) in {@code dir}. */
    public static SelfSignedCertificate make(Path dir, String algorithm) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2",
                "-subj", "/CN=neighsyncd-test", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()));
        if (algorithm.startsWith("rsa")) {
            cmd.addAll(List.of("-newkey", algorithm));
        } else {
            cmd.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl req failed: " + output);
        }
        return new SelfSignedCertificate(cert, key);
    }
}
