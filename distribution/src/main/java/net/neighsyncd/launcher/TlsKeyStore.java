package net.neighsyncd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --tls-cert}/{@code --tls-key}: the PEM certificate chain and PKCS#8 private key an
 * operator has, made into the PKCS#12 key store Jetty reads — written under the run folder,
 * readable by its owner only, with a random password made at each start and never written in
 * {@code etc/}.
 */
final class TlsKeyStore {
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448"};

    /** The key store written, and its password (the key's too). */
    record Written(Path path, String password) {
    }

    private TlsKeyStore() {
    }

    /**
     * Reads {@code certPem} (the server's certificate first, then its chain) and {@code keyPem}
     * (an unencrypted PKCS#8 key: {@code BEGIN PRIVATE KEY}) and writes the key store to {@code out}.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    static Written write(Path certPem, Path keyPem, Path out, SecureRandom random) throws IOException {
        Certificate[] chain = certificates(certPem);
        PrivateKey key = privateKey(keyPem);
        if (!matches(key, chain[0])) {
            throw new IOException("--tls-key " + keyPem + " is not the key of the first certificate of --tls-cert "
                    + certPem);
        }
        byte[] pw = new byte[24];
        random.nextBytes(pw);
        String password = HexFormat.of().formatHex(pw);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("neighsyncd", key, password.toCharArray(), chain);
            Files.createDirectories(out.getParent());
            Files.deleteIfExists(out);
            Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.TRUNCATE_EXISTING)) {
                ks.store(o, password.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("--tls-key " + keyPem + " does not go with --tls-cert " + certPem + ": "
                    + e.getMessage(), e);
        }
        return new Written(out, password);
    }

    /** Whether {@code key} signs what {@code cert}'s public key verifies. */
    private static boolean matches(PrivateKey key, Certificate cert) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "neighsyncd".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Certificate[] certificates(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException("--tls-cert " + pem + " holds no certificate");
            }
            return certs.toArray(new Certificate[0]);
        } catch (GeneralSecurityException e) {
            throw new IOException("--tls-cert " + pem + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException {
        Matcher m = PRIVATE_KEY.matcher(Files.readString(pem, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IOException("--tls-key " + pem + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); "
                    + "convert one with: openssl pkcs8 -topk8 -nocrypt -in KEY -out " + pem);
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm's
            }
        }
        throw new IOException("--tls-key " + pem + ": a key of none of " + String.join(", ", KEY_ALGORITHMS));
    }
}
