package net.neighsyncd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import net.neighsyncd.testsupport.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsKeyStoreTest {
    @TempDir
    Path dir;

    @Test
    void makesAKeyStoreReadableByItsOwnerOnlyFromPemFiles() throws Exception {
        assumeTrue(SelfSignedCertificate.available(), SelfSignedCertificate::whyUnavailable);
        for (String algorithm : new String[] {"rsa:2048", "ec"}) {
            // given
            SelfSignedCertificate pem = SelfSignedCertificate.make(dir.resolve(algorithm.replace(':', '-')), algorithm);
            Path out = dir.resolve("run/tls/" + algorithm.replace(':', '-') + ".p12");
            // when
            TlsKeyStore.Written w = TlsKeyStore.write(pem.certificate(), pem.key(), out, new SecureRandom());
            // then
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(w.path())) {
                ks.load(in, w.password().toCharArray());
            }
            assertNotNull(ks.getKey("neighsyncd", w.password().toCharArray()), algorithm);
            assertEquals(1, ks.getCertificateChain("neighsyncd").length);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.path())));
        }
    }

    @Test
    void refusesAKeyOfAnotherCertificate() throws Exception {
        assumeTrue(SelfSignedCertificate.available(), SelfSignedCertificate::whyUnavailable);
        SelfSignedCertificate a = SelfSignedCertificate.make(dir.resolve("a"), "ec");
        SelfSignedCertificate b = SelfSignedCertificate.make(dir.resolve("b"), "ec");
        IOException e = assertThrows(IOException.class,
                () -> TlsKeyStore.write(a.certificate(), b.key(), dir.resolve("ks.p12"), new SecureRandom()));
        assertTrue(e.getMessage().contains("is not the key of"), e.getMessage());
    }

    @Test
    void namesTheConversionForAKeyNotInPkcs8() throws Exception {
        assumeTrue(SelfSignedCertificate.available(), SelfSignedCertificate::whyUnavailable);
        SelfSignedCertificate a = SelfSignedCertificate.make(dir.resolve("a"), "ec");
        Path traditional = dir.resolve("ec-traditional.pem");
        Files.writeString(traditional, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n");
        IOException e = assertThrows(IOException.class,
                () -> TlsKeyStore.write(a.certificate(), traditional, dir.resolve("ks.p12"), new SecureRandom()));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
    }

    @Test
    void refusesTlsWithOnlyOneOfItsFiles() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--tls-cert", "/etc/ssl/cert.pem"}));
        assertTrue(e.getMessage().contains("go together"), e.getMessage());
    }
}
